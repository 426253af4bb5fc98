/* frame.h: the binary frame format (see tsd-frames(5)).
 *
 * A binary stream starts with an 8-byte stream header
 *     89 'T' 'S' 'D'  u16 version (1)  u16 0
 * and continues with frames. Every frame is an 8-byte frame header
 *     u8 type  u8 flags  u16 aux  u32 len
 * and len payload bytes, len a multiple of 8, so every frame starts on an
 * 8-byte boundary. All integers and floats are little-endian. A stream
 * header may reappear between frames (concatenated streams). Readers skip
 * frame types they do not know.
 */
#ifndef TSD_FRAME_H
#define TSD_FRAME_H

#include <stddef.h>
#include <stdint.h>

#include "record.h"
#include "tstime.h"

#define TSD_FRAME_MAGIC0 0x89
#define TSD_FRAME_VERSION 1
#define TSD_FRAME_HDR 8
#define TSD_FRAME_MAXLEN (64u << 20)  /* largest payload a reader accepts */
#define TSD_FRAME_MAXRUN 4096        /* samples or coefficients per frame a writer packs */

enum tsd_frame_type {
	TSD_FR_NAME = 'N',     /* u32 id, name bytes, NUL padding */
	TSD_FR_STYLE = 'Y',    /* stream style: time style, shape, time column name */
	TSD_FR_SAMPLES = 'S',  /* u32 series, u32 count, count x i64 t, count x f64 v;
	                        * flag TSD_FR_REGULAR: u32 series, u32 count,
	                        * i64 t0, i64 dt, count x f64 v */
	TSD_FR_WINDOW = 'W',   /* window header, 64 bytes */
	TSD_FR_TIMES = 'T',    /* u32 series, u32 count, i64 window, count x i64 */
	TSD_FR_COEFS = 'C',    /* run of coefficients, see tsd-frames(5) */
	TSD_FR_END = 'E',      /* u32 series, u32 0, i64 window */
	TSD_FR_CONTROL = 'K',  /* aux = what; i32 partition, u32 topic_len, i64 offset, topic */
};

/* Stream-level style carried by a STYLE frame. */
typedef struct {
	tsd_tstyle tstyle;
	uint8_t shape;         /* enum tsd_shape (stream.h) */
	char time_name[32];    /* header of the time column, NUL-padded */
} tsd_style;

/* Write the stream header into buf (8 bytes). */
void tsd_frame_stream_header(unsigned char *buf);
/* Check a stream header; TSD_EFORMAT or TSD_EVERSION on mismatch. */
int tsd_frame_check_header(const unsigned char *buf);

static inline size_t tsd_pad8(size_t n) { return (n + 7) & ~(size_t)7; }

/* Encoders write one whole frame into buf (which must hold the size that
 * the matching *_size() gives) and return its size in bytes. */
size_t tsd_frame_name_size(size_t len);
size_t tsd_frame_name(unsigned char *buf, uint32_t id, const char *name, size_t len);
size_t tsd_frame_style(unsigned char *buf, const tsd_style *st);   /* 56 bytes */
size_t tsd_frame_window(unsigned char *buf, const tsd_window *w);  /* 72 bytes */
/* 24 bytes, 40 with the range; series as in the record */
size_t tsd_frame_end(unsigned char *buf, const tsd_end *e);
size_t tsd_frame_control_size(size_t topic_len);
size_t tsd_frame_control(unsigned char *buf, const tsd_control *k);
/* Run frames are built in place by the writer: header, then the body. */
#define TSD_FR_REGULAR 0x01    /* SAMPLES flag: times t0 + i * dt */
size_t tsd_frame_samples_size(uint32_t count, int regular);
size_t tsd_frame_coefs_size(uint32_t count, int scored);
size_t tsd_frame_times_size(uint32_t count);
void tsd_frame_put_header(unsigned char *buf, int type, int flags, unsigned aux, uint32_t len);
/* Whole run frames: n samples with times t (or, t NULL, t0 + i * dt; a
 * REGULAR frame); a run of coefficients (scored when c->score is set);
 * n window sample times. series is the id written in the frame. */
size_t tsd_frame_samples(unsigned char *buf, uint32_t series, uint32_t n, const int64_t *t,
			 int64_t t0, int64_t dt, const double *v);
size_t tsd_frame_coefs(unsigned char *buf, uint32_t series, const tsd_coefs *c);
size_t tsd_frame_times(unsigned char *buf, uint32_t series, int64_t window, uint32_t n, const int64_t *t);

/* Decoding. tsd_frame_parse reads the header at buf and checks that the
 * payload fits the type; *type and *len are set. The decoders fill a
 * record; pointers point into buf (host must be little-endian with
 * 8-byte-aligned buf, which the reader guarantees). */
int tsd_frame_parse_header(int *type, unsigned *flags, unsigned *aux, uint32_t *len, const unsigned char *buf);
int tsd_frame_decode(tsd_rec *rec, uint32_t *sample_count, const unsigned char *buf, uint32_t len, int type, unsigned flags, unsigned aux);
int tsd_frame_decode_name(uint32_t *id, const char **name, size_t *len, const unsigned char *payload, uint32_t plen);
int tsd_frame_decode_style(tsd_style *st, const unsigned char *payload, uint32_t plen);

#endif
