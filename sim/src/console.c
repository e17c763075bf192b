/*
 * console.c - the console device (physical 0x1F000000).
 *
 *   0x0 TX    write: the low byte goes to the console output
 *   0x4 RX    read: the next input byte, or 0xFFFFFFFF if there is none
 *   0x8 CTRL  bit 0: raise IP6 on CPU 0 while input is waiting
 *
 * Output goes to the configured stream (stdout for flashsim). Input comes
 * from a file descriptor (stdin). When it is not a terminal, input counts as
 * available at once and is read on demand, so a run with the same input is
 * deterministic; at a terminal, input arrives as it is typed (checked at
 * every time slice) and interactive runs are not reproducible.
 */
#include <poll.h>
#include <unistd.h>

#include "internal.h"

void console_init(struct sim *m)
{
    struct console *k = &m->cons;
    k->out = m->cfg.console_out ? m->cfg.console_out : stdout;
    k->in_fd = m->cfg.console_in_fd;
    k->in_tty = k->in_fd >= 0 && isatty(k->in_fd);
    k->in_eof = k->in_fd < 0;
    k->lookahead = -1;
}

/* Try to get the next input byte into the lookahead. */
static void fill(struct console *k)
{
    if (k->lookahead >= 0 || k->in_eof)
        return;
    if (k->in_tty) {
        struct pollfd p = {.fd = k->in_fd, .events = POLLIN};
        if (poll(&p, 1, 0) <= 0)
            return;
    }
    unsigned char ch;
    ssize_t n = read(k->in_fd, &ch, 1);
    if (n == 1)
        k->lookahead = ch;
    else if (!k->in_tty || n == 0)
        k->in_eof = true;
}

static void update_irq(struct sim *m)
{
    struct console *k = &m->cons;
    if (k->ctrl & 1)
        fill(k);
    cpu_set_ip(&m->cpu[0], IRQ_CONS, (k->ctrl & 1) && k->lookahead >= 0);
}

/* Called between time slices: a terminal may have new input. */
void console_poll(struct sim *m)
{
    if (m->cons.ctrl & 1)
        update_irq(m);
}

uint32_t console_read(struct sim *m, uint32_t off, bool *ok)
{
    struct console *k = &m->cons;
    switch (off) {
    case 0x4: {
        fflush(k->out); /* a prompt should be visible before we wait for input */
        fill(k);
        int ch = k->lookahead;
        k->lookahead = -1;
        update_irq(m);
        return ch < 0 ? 0xFFFFFFFFu : (uint32_t)ch;
    }
    case 0x8: return k->ctrl;
    case 0x0: return 0;
    default: *ok = false; return 0;
    }
}

bool console_write(struct sim *m, uint32_t off, uint32_t v)
{
    struct console *k = &m->cons;
    switch (off) {
    case 0x0: fputc((int)(v & 0xFF), k->out); return true;
    case 0x4: return true;
    case 0x8:
        k->ctrl = v & 1;
        update_irq(m);
        return true;
    default: return false;
    }
}
