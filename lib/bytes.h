/* bytes.h: the small helpers of the binary files (model, checkpoint) and
 * of seeded randomness: little-endian byte packing, CRC-32, splitmix64,
 * and a printf into a caller's error buffer. */
#ifndef TSD_BYTES_H
#define TSD_BYTES_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

static inline void tsd_put_u32(unsigned char *b, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		b[i] = (unsigned char)(v >> (8 * i));
}

static inline uint32_t tsd_get_u32(const unsigned char *b)
{
	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

static inline void tsd_put_u64(unsigned char *b, uint64_t v)
{
	tsd_put_u32(b, (uint32_t)v);
	tsd_put_u32(b + 4, (uint32_t)(v >> 32));
}

static inline uint64_t tsd_get_u64(const unsigned char *b)
{
	return (uint64_t)tsd_get_u32(b) | (uint64_t)tsd_get_u32(b + 4) << 32;
}

static inline void tsd_put_f64(unsigned char *b, double v)
{
	uint64_t u;
	memcpy(&u, &v, 8);
	tsd_put_u64(b, u);
}

static inline double tsd_get_f64(const unsigned char *b)
{
	uint64_t u = tsd_get_u64(b);
	double v;
	memcpy(&v, &u, 8);
	return v;
}

static inline void tsd_put_f32(unsigned char *b, float v)
{
	uint32_t u;
	memcpy(&u, &v, 4);
	tsd_put_u32(b, u);
}

static inline float tsd_get_f32(const unsigned char *b)
{
	uint32_t u = tsd_get_u32(b);
	float v;
	memcpy(&v, &u, 4);
	return v;
}

/* CRC-32 (IEEE 802.3, reflected 0xedb88320), as zlib's crc32(): start
 * with crc 0 and feed the bytes in pieces. */
uint32_t tsd_crc32(uint32_t crc, const unsigned char *b, size_t n);
/* splitmix64: the next 64 random bits from state *s. */
uint64_t tsd_rng_next(uint64_t *s);
/* vsnprintf into buf when buf and len are given. */
void tsd_seterr(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
