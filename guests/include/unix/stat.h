/* unix/stat.h - what fstat() returns. */
#ifndef UNIX_STAT_H
#define UNIX_STAT_H

#define T_DIR  1 /* directory */
#define T_FILE 2 /* regular file */
#define T_DEV  3 /* device (the console) */

struct stat {
    short type;           /* T_DIR, T_FILE or T_DEV */
    short nlink;          /* links to the inode */
    unsigned int dev;     /* disk number */
    unsigned int ino;     /* inode number */
    unsigned int size;    /* bytes */
};

#endif
