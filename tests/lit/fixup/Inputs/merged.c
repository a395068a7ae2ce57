// Constants the link merges (docs/note-format.md, names): as in a kernel,
// fs/fs_types.c's fs_dtype_by_ftype and the ext4_filetype_table of
// fs/ext4/dir.c and fs/ext4/inline.c hold the same eight bytes.  No code
// compares their addresses, so clang puts them in .rodata.cst8, and the
// link folds the three into one place: three local symbols, two names,
// one address.  The strings do the same in .rodata.str1.1, with clang
// and with gcc -fmerge-all-constants.
#if UNIT == 1
#define TABLE fs_dtype_by_ftype
#define TEXT fs_type_text
#else
#define TABLE ext4_filetype_table
#define TEXT ext4_text
#endif
#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)

static const unsigned char TABLE[8] = { 0, 8, 4, 2, 6, 1, 12, 10 };
static const char TEXT[] = "filetype";

int CAT(dtype, UNIT)(unsigned int ftype)
{
	return TABLE[ftype & 7] + TEXT[ftype & 7];
}
