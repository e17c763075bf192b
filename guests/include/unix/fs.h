/*
 * unix/fs.h - the on-disk format of the kit's file system.
 *
 * Shared by the kernel (guests/unix/fs) and the host tools that build and
 * check images (guests/tools/mkfs, fsck), so it uses only <stdint.h> types
 * and is little-endian on disk (as the machine and the x86 host).
 *
 * An image is a sequence of 4 KB blocks (8 sectors each):
 *
 *   block 0         boot block (unused)
 *   block 1         superblock
 *   blocks 2..      inodes, FS_IPB per block
 *   then            free-block bitmap, one bit per block (1 = in use)
 *   then            data blocks
 *
 * The root directory is inode 1. A directory is a file of struct dirent
 * entries; inum 0 marks a free entry. Every directory begins with "." and
 * ".." (the root's ".." is itself). An inode's nlink is the number of
 * directory entries naming it, "." and ".." included: a new directory has
 * 2, and each subdirectory adds 1 to its parent. There is no journal: a run must end
 * with sync (init does it before halting), and the fsck tool checks an
 * image after the run.
 */
#ifndef UNIX_FS_H
#define UNIX_FS_H

#include <stdint.h>

#define FS_BSIZE      4096u          /* block size: one page */
#define FS_SECTORS_PER_BLOCK 8u
#define FS_MAGIC      0x4B534944u    /* "DISK" */
#define FS_ROOTINO    1u
#define FS_NDIRECT    11u
#define FS_NINDIRECT  (FS_BSIZE / sizeof(uint32_t))
#define FS_MAXFILE    (FS_NDIRECT + FS_NINDIRECT + FS_NINDIRECT * FS_NINDIRECT) /* blocks */
#define FS_DIRSIZ     60u            /* bytes in a name, NUL-padded, not always terminated */

/* Block 1. */
struct fs_superblock {
    uint32_t magic;       /* FS_MAGIC */
    uint32_t size;        /* blocks in the image */
    uint32_t ninodes;     /* inodes */
    uint32_t inodestart;  /* first inode block */
    uint32_t bmapstart;   /* first bitmap block */
    uint32_t datastart;   /* first data block */
};

/* On-disk inode: 64 bytes. type 0 = free (unix/stat.h types otherwise). */
struct fs_dinode {
    int16_t type;
    int16_t major;        /* T_DEV: device number (1 = console) */
    int16_t nlink;
    uint16_t gen;         /* generation: one more each time the inode is allocated
                             (NFS handles name it, so a reused inode is not the old file) */
    uint32_t size;        /* bytes */
    uint32_t addrs[FS_NDIRECT + 2]; /* direct, single indirect, double indirect */
};

#define FS_IPB (FS_BSIZE / sizeof(struct fs_dinode))    /* inodes per block */
#define FS_BPB (FS_BSIZE * 8)                            /* bitmap bits per block */

struct fs_dirent {
    uint32_t inum;
    char name[FS_DIRSIZ];
};

#endif
