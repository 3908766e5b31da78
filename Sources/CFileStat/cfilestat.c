#include "cfilestat.h"
#include <sys/stat.h>

static faxbot_file_info describe(int result, const struct stat *info) {
    faxbot_file_info out = { FAXBOT_FILE_ERROR, 0, 0 };
    if (result != 0) return out;
    if (S_ISREG(info->st_mode)) out.kind = FAXBOT_FILE_REGULAR;
    else if (S_ISLNK(info->st_mode)) out.kind = FAXBOT_FILE_SYMLINK;
    else if (S_ISDIR(info->st_mode)) out.kind = FAXBOT_FILE_DIRECTORY;
    else out.kind = FAXBOT_FILE_OTHER;
    out.size = (long long)info->st_size;
    out.modified = (double)info->st_mtim.tv_sec + (double)info->st_mtim.tv_nsec / 1e9;
    return out;
}

faxbot_file_info faxbot_fstat(int fd) {
    struct stat info;
    int result = fstat(fd, &info);
    return describe(result, &info);
}

faxbot_file_info faxbot_lstat(const char *path) {
    struct stat info;
    int result = lstat(path, &info);
    return describe(result, &info);
}
