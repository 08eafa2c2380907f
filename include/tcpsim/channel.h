/* channel.h - the virtual wire: the segments sent lately, and those in flight.
 *
 * The history keeps each segment under its id with its fate, in a ring:
 * the last CHANNEL_KEEP_SEGMENTS segments, and the payload bytes of the
 * latest of them up to CHANNEL_KEEP_PAYLOAD bytes, so that memory stays
 * bounded however long a session runs.  A segment in flight (or being
 * delivered) is never forgotten.  Segments in flight are ordered by
 * arrival time, then by id, so that the order of delivery never depends
 * on anything but the inputs.
 */
#ifndef TCPSIM_CHANNEL_H
#define TCPSIM_CHANNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tcpsim/segment.h"

enum seg_fate { FATE_IN_FLIGHT, FATE_DELIVERED, FATE_DROPPED_USER, FATE_DROPPED_LOSS };

struct flight {
    uint32_t id;
    uint64_t arrive_at;
};

#define CHANNEL_KEEP_SEGMENTS 16384u          /* headers kept (a power of two) */
#define CHANNEL_KEEP_PAYLOAD (4u << 20)         /* payload bytes kept: 4 MiB */

struct channel {
    struct segment *hist;       /* ring: #id at hist[(id - 1) & (hist_cap - 1)]; each owns its data */
    enum seg_fate *fate;        /* the same ring */
    size_t hist_len;            /* ids given so far: the latest segment is #hist_len */
    size_t hist_first;          /* the oldest id kept (1 until one is forgotten) */
    size_t hist_cap;            /* a power of two; grows past the keep only for segments in flight */
    size_t payload_bytes;       /* payload held by the kept segments */
    size_t payload_next;        /* the oldest id whose payload may still be held */
    uint32_t pinned;            /* being delivered: its payload is in use */
    struct flight *fl;          /* in flight, sorted by (arrive_at, id): fl[0..fl_len) */
    size_t fl_len;
    struct flight *fl_mem;      /* the allocation fl points into: the earliest
                                   arrival leaves by moving fl, not the rest */
    size_t fl_cap;
};

void channel_init(struct channel *c);
void channel_free(struct channel *c);

/* Copy seg (and its data) into the history with the next id; returns the
 * id, or 0 when memory runs out. */
uint32_t channel_record(struct channel *c, const struct segment *seg);
/* Put a recorded segment in flight. */
bool channel_launch(struct channel *c, uint32_t id, uint64_t arrive_at);
/* Take a segment off the wire; false if it is not in flight. */
bool channel_remove(struct channel *c, uint32_t id);

/* The segment #id, or NULL when there is none or it was forgotten.  A
 * kept segment with len > 0 and data NULL had its payload forgotten. */
const struct segment *channel_get(const struct channel *c, uint32_t id);
/* #id was sent but is no longer kept. */
bool channel_forgotten(const struct channel *c, uint32_t id);
/* The fate of a kept segment, and setting it. */
enum seg_fate channel_fate(const struct channel *c, uint32_t id);
void channel_set_fate(struct channel *c, uint32_t id, enum seg_fate f);
/* A copy of src into dst (which holds nothing), sharing the payload bytes
 * (counted; they never change); 0, or -1 when memory runs out (dst then
 * holds nothing). */
int channel_copy(struct channel *dst, const struct channel *src);
const struct flight *channel_in_flight(const struct channel *c, uint32_t id);
const struct flight *channel_first(const struct channel *c);
const char *seg_fate_name(enum seg_fate f);

#endif
