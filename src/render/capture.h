/* capture.h - the pcap renderer of the event stream (SPEC section 5).
 *
 * Every segment put on the wire, dropped ones included, becomes an IPv4 +
 * TCP packet (linktype raw IPv4) with correct checksums, stamped with its
 * virtual send time.  The client is 10.0.0.1, the server 10.0.0.2.
 * Each packet is flushed as it is written.
 */
#ifndef TCPSIM_CAPTURE_H
#define TCPSIM_CAPTURE_H

#include <stddef.h>
#include <stdint.h>

#include "tcpsim/event.h"
#include "tcpsim/sim.h"

#define CAPTURE_CLIENT_ADDR 0x0a000001u     /* 10.0.0.1 */
#define CAPTURE_SERVER_ADDR 0x0a000002u     /* 10.0.0.2 */
#define CAPTURE_HEADERS 44                  /* IPv4 and TCP, at most the MSS option */

struct capture {
    void *pcap, *dumper;    /* pcap_t and pcap_dumper_t */
    uint8_t *buf;           /* one packet */
    int err;                /* errno of the first write, flush or close that failed; 0: none */
};

/* Open PATH for writing (the file header is written and flushed at once).
 * Returns 0, or -1 and a message in err. */
int capture_open(struct capture *c, const char *path, char *err, size_t errlen);
/* Returns 0, or -1 when this or an earlier write failed (c->err says why). */
int capture_close(struct capture *c);
void capture_event(struct capture *c, const struct event *ev);

/* Build the IPv4 packet of seg into buf (CAPTURE_HEADERS + seg->len
 * bytes); returns its length.  Exposed for the unit tests. */
size_t capture_packet(const struct segment *seg, uint8_t *buf);
/* The Internet checksum (RFC 1071) of len bytes, starting from sum. */
uint16_t capture_checksum(const uint8_t *p, size_t len, uint32_t sum);

#endif
