/*  mot_clock — the one clock every service reads.
 *
 *  Owns: "now". In normal operation that is the system's real time. With the
 *  test clock enabled (--test-clock, refused when --env is production) "now"
 *  is the unix time stored in Redis under MOT_KEY_CLOCK when that key exists,
 *  so a test moves time for every service at once by writing one key
 *  (`motctl clock set|advance`). The test clock does not tick by itself.
 */
#ifndef MOT_CLOCK_H_INCLUDED
#define MOT_CLOCK_H_INCLUDED

#include "mot_redis.h"
#include <stdint.h>

typedef struct _mot_clock_t mot_clock_t;

mot_clock_t *mot_clock_new (mot_redis_t *redis, bool test_clock);
void mot_clock_destroy (mot_clock_t **self_p);
/* Unix seconds. */
int64_t mot_clock_now (mot_clock_t *self);
bool mot_clock_is_test (mot_clock_t *self);

#endif
