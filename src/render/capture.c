/* capture.c - writes every segment sent as a raw IPv4 packet with libpcap
 * (pcap_open_dead + pcap_dump), so Wireshark and tshark can read a lesson. */
#include <errno.h>
#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>

#include "render/capture.h"
#include "render/i18n.h"

static void put16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
    put16(p, v >> 16);
    put16(p + 2, v);
}

uint16_t capture_checksum(const uint8_t *p, size_t len, uint32_t sum)
{
    for (size_t i = 0; i + 1 < len; i += 2)
        sum += (uint32_t)p[i] << 8 | p[i + 1];
    if (len & 1)
        sum += (uint32_t)p[len - 1] << 8;
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

size_t capture_packet(const struct segment *seg, uint8_t *buf)
{
    uint32_t opts = seg->mss ? 4 : 0;     /* RFC 9293 3.2: kind 2, length 4, the MSS */
    uint32_t hdr = 40 + opts;
    uint32_t len = seg->len > 65535 - hdr ? 65535 - hdr : seg->len;
    uint32_t src = seg->src == EP_CLIENT ? CAPTURE_CLIENT_ADDR : CAPTURE_SERVER_ADDR;
    uint32_t dst = seg->src == EP_CLIENT ? CAPTURE_SERVER_ADDR : CAPTURE_CLIENT_ADDR;
    uint8_t *ip = buf, *tcp = buf + 20, *payload = buf + hdr;
    size_t total = hdr + len;

    memset(buf, 0, hdr);
    ip[0] = 0x45;                       /* version 4, 5 words of header */
    put16(ip + 2, (uint32_t)total);
    put16(ip + 4, seg->id);             /* identification: the segment id */
    put16(ip + 6, 0x4000);              /* don't fragment */
    ip[8] = 64;                         /* TTL */
    ip[9] = 6;                          /* TCP */
    put32(ip + 12, src);
    put32(ip + 16, dst);
    put16(ip + 10, capture_checksum(ip, 20, 0));

    put16(tcp, seg->sport);
    put16(tcp + 2, seg->dport);
    put32(tcp + 4, seg->seq);
    put32(tcp + 8, seg->ack);
    tcp[12] = (uint8_t)((5 + opts / 4) << 4);  /* data offset in 32-bit words */
    tcp[13] = seg->flags;
    put16(tcp + 14, seg->wnd);
    if (seg->mss) {
        tcp[20] = 2;                    /* kind: Maximum Segment Size */
        tcp[21] = 4;
        put16(tcp + 22, seg->mss);
    }
    if (seg->data)
        memcpy(payload, seg->data, len);
    else
        memset(payload, 0, len);
    /* RFC 9293 3.1: the checksum covers a pseudo-header of the addresses,
     * the protocol and the TCP length. */
    uint32_t pseudo = (src >> 16) + (src & 0xffff) + (dst >> 16) + (dst & 0xffff) + 6 + (20 + opts + len);
    put16(tcp + 16, capture_checksum(tcp, 20 + opts + len, pseudo));
    return total;
}

int capture_open(struct capture *c, const char *path, char *err, size_t errlen)
{
    pcap_t *p = pcap_open_dead(DLT_RAW, 65535);
    if (!p) {
        snprintf(err, errlen, _("libpcap could not start a capture"));
        return -1;
    }
    c->buf = malloc(65535);
    pcap_dumper_t *d = c->buf ? pcap_dump_open(p, path) : NULL;
    if (!d) {
        snprintf(err, errlen, "%s", i18n_strerror(c->buf ? errno : ENOMEM));
        pcap_close(p);
        free(c->buf);
        c->buf = NULL;
        return -1;
    }
    c->pcap = p;
    c->dumper = d;
    c->err = 0;
    errno = 0;
    if (pcap_dump_flush(d) != 0) {      /* the file header: a full disk shows now */
        snprintf(err, errlen, "%s", strerror(errno ? errno : EIO));
        capture_close(c);
        return -1;
    }
    return 0;
}

static void failed(struct capture *c, int e)
{
    if (!c->err)
        c->err = e ? e : EIO;
}

int capture_close(struct capture *c)
{
    if (!c->dumper)
        return c->err ? -1 : 0;
    FILE *f = pcap_dump_file(c->dumper);
    errno = 0;
    if (fflush(f) != 0 || ferror(f))
        failed(c, errno);
    /* pcap_dump_close says nothing of fclose: everything is flushed by
     * now, so what could fail has failed above. */
    pcap_dump_close(c->dumper);
    pcap_close(c->pcap);
    free(c->buf);
    c->dumper = c->pcap = NULL;
    c->buf = NULL;
    return c->err ? -1 : 0;
}

void capture_event(struct capture *c, const struct event *ev)
{
    if (!c->dumper || c->err || ev->type != EV_SEND)
        return;
    if (ev->t / 1000 > UINT32_MAX) {    /* a pcap timestamp has 32 bits of seconds */
        failed(c, EOVERFLOW);
        return;
    }
    size_t n = capture_packet(ev->seg, c->buf);
    struct pcap_pkthdr h = {
        .ts = { .tv_sec = (time_t)(ev->t / 1000), .tv_usec = (suseconds_t)(ev->t % 1000 * 1000) },
        .caplen = (bpf_u_int32)n,
        .len = (bpf_u_int32)n,
    };
    errno = 0;
    pcap_dump(c->dumper, &h, c->buf);
    if (pcap_dump_flush(c->dumper) != 0 || ferror(pcap_dump_file(c->dumper)))
        failed(c, errno);
}
