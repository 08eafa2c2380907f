/* channel.h - the virtual wire: every segment ever sent, and those in flight.
 *
 * The history keeps each segment under its id (#1 is hist[0]) with its
 * fate.  Segments in flight are ordered by arrival time, then by id, so
 * that the order of delivery never depends on anything but the inputs.
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

struct channel {
    struct segment *hist;       /* hist[id - 1]; each owns its data */
    enum seg_fate *fate;
    size_t hist_len, hist_cap, fate_cap;
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

const struct segment *channel_get(const struct channel *c, uint32_t id);
const struct flight *channel_in_flight(const struct channel *c, uint32_t id);
const struct flight *channel_first(const struct channel *c);
const char *seg_fate_name(enum seg_fate f);

#endif
