/*
 * console.c - the console: output, and line-edited input.
 *
 * Output is written byte by byte to the HAL's console driver. A write()
 * holds a sleeping lock from start to end, so that what two processes
 * write at once does not mix; the bytes themselves go out under a spinlock
 * (kernel messages and echo take only that one).
 *
 * Input arrives by interrupt (IP6, on CPU 0; the device raises it while a
 * byte waits). Bytes are echoed and collected in a buffer; backspace (^H
 * or DEL) erases, ^U erases the line, ^D ends input (a read returns what
 * the line holds, or 0 at the start of a line). A read() returns when a
 * whole line (or ^D) is there. When the buffer is full, the driver turns
 * the input interrupt off and leaves further bytes in the device, so no
 * input is lost; reading turns it back on.
 */
#include "proc.h"
#include "sleeplock.h"

#define INPUT_BUF 256
#define CHUNK 256
#define CTRL(x) ((x) - '@')

static struct {
	struct sleeplock wlock;   /* one write() at a time */
	struct spinlock lock;
	char buf[INPUT_BUF];
	uint32_t r, w, e;    /* read, write (end of complete lines), edit */
	int rx_off;          /* input interrupt turned off: buffer full */
} cons;

void console_init(void)
{
	spin_init(&cons.lock, "console");
	sleeplock_init(&cons.wlock, "console write");
	hal_cons_rx_intr(1);
}

static void putc_raw(int c)
{
	if (c == '\b') {
		hal_cons_putc('\b');
		hal_cons_putc(' ');
		hal_cons_putc('\b');
	} else {
		hal_cons_putc(c);
	}
}

void console_putc(int c)
{
	acquire(&cons.lock);
	putc_raw(c);
	release(&cons.lock);
}

void console_write_kernel(const char *s, int n)
{
	acquire(&cons.lock);
	for (int i = 0; i < n; i++)
		hal_cons_putc(s[i]);
	release(&cons.lock);
}

int console_write(uint32_t va, int n)
{
	char buf[CHUNK];
	int done = 0;

	acquiresleep(&cons.wlock);
	while (done < n) {
		int m = MIN(n - done, CHUNK);

		if (copyin(myproc()->as, buf, va + done, m) < 0)
			break;
		console_write_kernel(buf, m);
		done += m;
	}
	releasesleep(&cons.wlock);
	return done || n == 0 ? done : -EFAULT;
}

/* Input interrupt (CPU 0). */
void console_intr(void)
{
	int c;

	acquire(&cons.lock);
	while (cons.e - cons.r < INPUT_BUF) {
		if ((c = hal_cons_getc()) < 0)
			break;
		switch (c) {
		case CTRL('U'):
			while (cons.e != cons.w && cons.buf[(cons.e - 1) % INPUT_BUF] != '\n') {
				cons.e--;
				putc_raw('\b');
			}
			break;
		case '\b':
		case 0x7F:
			if (cons.e != cons.w) {
				cons.e--;
				putc_raw('\b');
			}
			break;
		default:
			if (c == '\r')
				c = '\n';
			putc_raw(c == CTRL('D') ? '\n' : c);
			cons.buf[cons.e++ % INPUT_BUF] = c;
			if (c == '\n' || c == CTRL('D') || cons.e == cons.r + INPUT_BUF) {
				cons.w = cons.e;
				wakeup(&cons.r);
			}
		}
	}
	if (cons.e - cons.r >= INPUT_BUF && !cons.rx_off) {
		cons.rx_off = 1;
		hal_cons_rx_intr(0);
	}
	release(&cons.lock);
}

int console_read(uint32_t va, int n)
{
	char buf[CHUNK];
	int m = 0;

	acquire(&cons.lock);
	while (cons.r == cons.w) {
		if (myproc()->killed) {
			release(&cons.lock);
			return -EINTR;
		}
		sleep(&cons.r, &cons.lock);
	}
	while (m < n && m < CHUNK && cons.r != cons.w) {
		char c = cons.buf[cons.r++ % INPUT_BUF];

		if (c == CTRL('D')) {
			if (m > 0)
				cons.r--;    /* keep it: the next read returns 0 */
			break;
		}
		buf[m++] = c;
		if (c == '\n')
			break;
	}
	if (cons.rx_off) {
		cons.rx_off = 0;
		hal_cons_rx_intr(1);
	}
	release(&cons.lock);
	if (m && copyout(myproc()->as, va, buf, m) < 0)
		return -EFAULT;
	return m;
}
