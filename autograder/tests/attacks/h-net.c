/* (h) Reach the network: the grader's host on 127.0.0.1 and 1.1.1.1. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

static void attack_connect(const char *ip, int port)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    if (s < 0) {
        fprintf(stderr, "ATTACK-H no socket\n");
        return;
    }
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((unsigned short)port)};
    inet_pton(AF_INET, ip, &a.sin_addr);
    if (connect(s, (struct sockaddr *)&a, sizeof a) == 0)
        fprintf(stderr, "ATTACK-H connected to %s\n", ip);
    else
        fprintf(stderr, "ATTACK-H blocked %s\n", ip);
    close(s);
}

__attribute__((constructor)) static void attack(void)
{
    attack_connect("127.0.0.1", @PORT@);
    attack_connect("1.1.1.1", 53);
}
