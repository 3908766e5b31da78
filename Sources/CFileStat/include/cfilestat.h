#ifndef FAXBOT_CFILESTAT_H
#define FAXBOT_CFILESTAT_H

/* What Swift needs of struct stat, without touching the struct: Swift on Linux attributes
   struct stat to whichever clang module included <sys/stat.h> first (Dispatch in debug builds,
   CoreFoundation in release), so its members are not reliably visible. */

enum faxbot_file_kind { FAXBOT_FILE_ERROR = -1, FAXBOT_FILE_OTHER = 0, FAXBOT_FILE_REGULAR = 1, FAXBOT_FILE_SYMLINK = 2, FAXBOT_FILE_DIRECTORY = 3 };

typedef struct {
    int kind;
    long long size;
    double modified;
} faxbot_file_info;

/* fstat(2) of an open descriptor. */
faxbot_file_info faxbot_fstat(int fd);
/* lstat(2) of a path: a symlink is reported as such, never followed. */
faxbot_file_info faxbot_lstat(const char *path);

#endif
