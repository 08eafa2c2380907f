/* rng.h - the seeded pseudo-random generator (splitmix64).
 *
 * Every random choice in a simulation (ISNs, random loss) draws from one
 * generator seeded by the user, so the same seed and commands always give
 * the same run.
 */
#ifndef TCPSIM_RNG_H
#define TCPSIM_RNG_H

#include <stdint.h>

struct rng { uint64_t state; };

void rng_seed(struct rng *r, uint64_t seed);
uint64_t rng_next(struct rng *r);
/* splitmix64's finalizer: a keyed hash when the key is mixed into x. */
uint64_t rng_mix(uint64_t x);
/* A uniform value in [0, bound); bound > 0. */
uint32_t rng_below(struct rng *r, uint32_t bound);

#endif
