/*
 * exectest: exec refuses what it cannot run with -ENOEXEC (never a
 * crash), and the other exec errors.
 */
#include "tlib.h"

struct elfhdr {
	unsigned magic;
	unsigned char class, data, version, osabi, pad[8];
	unsigned short type, machine;
	unsigned version2, entry, phoff, shoff, flags;
	unsigned short ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct proghdr {
	unsigned type, off, vaddr, paddr, filesz, memsz, flags, align;
};

static struct {
	struct elfhdr eh;
	struct proghdr ph[2];
	unsigned code[4];
} img;

static void good(void)
{
	memset(&img, 0, sizeof img);
	img.eh.magic = 0x464C457F;
	img.eh.class = 1;
	img.eh.data = 1;
	img.eh.version = 1;
	img.eh.type = 2;
	img.eh.machine = 8;
	img.eh.version2 = 1;
	img.eh.entry = 0x400000 + sizeof img.eh + sizeof img.ph;
	img.eh.phoff = sizeof img.eh;
	img.eh.ehsize = sizeof img.eh;
	img.eh.phentsize = sizeof(struct proghdr);
	img.eh.phnum = 1;
	img.ph[0].type = 1;
	img.ph[0].off = 0;
	img.ph[0].vaddr = 0x400000;
	img.ph[0].filesz = img.ph[0].memsz = sizeof img;
	img.ph[0].flags = 5;
	/* li a0, 42; li v0, SYS_exit; syscall */
	img.code[0] = 0x2404002A;
	img.code[1] = 0x24020000 | SYS_exit;
	img.code[2] = 0x0000000C;
}

static int try(const char *what, int len)
{
	char *argv[] = {"x", 0};
	int fd = open("/tmp.elf", O_CREATE | O_TRUNC | O_WRONLY), pid, status = -100, r;

	write(fd, &img, len);
	close(fd);
	pid = fork();
	if (pid == 0) {
		r = exec("/tmp.elf", argv);
		exit(r == -ENOEXEC ? 100 : 101);
	}
	wait(&status);
	printf("exectest: %s: %s\n", what, status == 42 ? "ran" : status == 100 ? "ENOEXEC" :
	       status == -1 ? "killed" : "other error");
	return status;
}

int main(void)
{
	char *many[80], *argv[] = {"x", 0};

	good();
	CHECK(try("good", sizeof img) == 42, "a good ELF did not run");
	good(); img.eh.magic = 0x12345678;
	CHECK(try("bad magic", sizeof img) == 100, "bad magic");
	good(); img.eh.machine = 3;
	CHECK(try("x86", sizeof img) == 100, "machine");
	good(); img.eh.class = 2;
	CHECK(try("64-bit", sizeof img) == 100, "class");
	good(); img.eh.phnum = 0;
	CHECK(try("no segments", sizeof img) == 100, "phnum 0");
	good(); img.eh.phnum = 60000;
	CHECK(try("huge phnum", sizeof img) == 100, "phnum");
	good(); img.eh.phoff = 0x7FFFFFF0;
	CHECK(try("phoff beyond the file", sizeof img) == 100, "phoff");
	good(); img.ph[0].filesz = 100000;
	CHECK(try("segment beyond the file", sizeof img) == 100, "filesz");
	good(); img.ph[0].memsz = 4;
	CHECK(try("memsz < filesz", sizeof img) == 100, "memsz");
	good(); img.ph[0].vaddr = 0x80000000;
	CHECK(try("kernel address", sizeof img) == 100, "vaddr");
	good(); img.ph[0].vaddr = 0x7FFFE000;
	CHECK(try("segment over the stack", sizeof img) == 100, "stack");
	good(); img.ph[0].vaddr = 0;
	CHECK(try("page zero", sizeof img) == 100, "page 0");
	good(); img.ph[0].memsz = 0xFFFFF000;
	CHECK(try("wrapping segment", sizeof img) == 100, "wrap");
	good(); img.eh.entry = 0x10000000;
	CHECK(try("entry outside", sizeof img) == 100, "entry");
	good();
	CHECK(try("truncated", 20) == 100, "truncated");
	CHECK(try("empty", 0) == 100, "empty");
	CHECK(exec("/nonexistent", argv) == -ENOENT, "nonexistent");
	CHECK(exec("/", argv) == -ENOEXEC, "directory");
	CHECK(exec("/bin/hello/x", argv) == -ENOTDIR, "not a directory");
	for (int i = 0; i < 79; i++)
		many[i] = "an argument";
	many[79] = 0;
	CHECK(exec("/bin/hello", many) == -E2BIG, "too many arguments");
	CHECK(exec((char *)0x80000000, argv) == -EFAULT, "bad path pointer");
	CHECK(exec("/bin/hello", (char **)0x80000000) == -EFAULT, "bad argv");
	unlink("/tmp.elf");
	printf("exectest: %s\n", tl_failures ? "FAILED" : "ok");
	return tl_failures != 0;
}
