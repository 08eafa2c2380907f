/* rng.c - splitmix64, a small generator with good statistics and no state
 * beyond one 64-bit word, so a seed says everything. */
#include "tcpsim/rng.h"

void rng_seed(struct rng *r, uint64_t seed) { r->state = seed; }

uint64_t rng_mix(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

uint64_t rng_next(struct rng *r)
{
    return rng_mix(r->state += 0x9e3779b97f4a7c15ull);
}

uint32_t rng_below(struct rng *r, uint32_t bound)
{
    /* Lemire's multiply-shift: unbiased enough for 32-bit bounds from 64 bits. */
    return (uint32_t)(((rng_next(r) >> 32) * (uint64_t)bound) >> 32);
}
