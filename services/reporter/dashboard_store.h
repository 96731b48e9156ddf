/*  dashboard_store — the registers the dashboard's pages read, kept in
 *  memory and refreshed in the background.
 *
 *  Owns: the newest complete snapshot of each register (MUPOI, MURO; every
 *  item, open and closed, with the columns a register page shows:
 *  dashboard_snapshot.h) and one thread of its own that rebuilds them, with
 *  its own Redis connection and clock (hiredis connections are not
 *  thread-safe; the HTTP thread keeps its own). A page asks for a register:
 *    - a snapshot younger than the refresh bound is served as it is;
 *    - an older one is served too, and the thread is woken to rebuild that
 *      register (one rebuild at a time; a request made while it runs does
 *      not ask again);
 *    - with no snapshot yet, or one too old to show (the dashboard sat
 *      idle: older than DASHBOARD_STORE_STALE_MS, or than
 *      DASHBOARD_STORE_STALE_BOUNDS bounds if that is longer), the page
 *      waits for the rebuild (at most DASHBOARD_STORE_WAIT_S); if that
 *      fails it gets the old one, or none and the reason.
 *  So under steady use a page never waits for Redis, and its data are at
 *  most the bound plus one rebuild old. Ages are measured on the monotonic
 *  clock; the time a page shows is the service clock's when its rebuild
 *  began. Snapshots are swapped under a mutex and counted: a page keeps the
 *  one it got until it releases it, whatever the thread swaps meanwhile.
 *  Each rebuild is logged (dashboard_snapshot: register, rows, bytes,
 *  milliseconds), a failed one too (dashboard_snapshot_failed).
 */
#ifndef DASHBOARD_STORE_H_INCLUDED
#define DASHBOARD_STORE_H_INCLUDED

#include "dashboard_snapshot.h"
#include "mot.pb-c.h"
#include "mot_catalog.h"
#include "mot_redis.h"
#include <stdbool.h>

#define DASHBOARD_STORE_STALE_MS 60000
#define DASHBOARD_STORE_STALE_BOUNDS 10
#define DASHBOARD_STORE_WAIT_S 30

typedef struct _dashboard_store_t dashboard_store_t;

/* Registers read from Redis, on a connection of its own to the address
 * and as the user of `redis` (borrowed only here), with the territory
 * names of `territories` (borrowed, read-only), rebuilt when older than
 * `refresh_ms`. Starts the thread; NULL when it cannot. */
dashboard_store_t *dashboard_store_new (mot_redis_t *redis, bool test_clock, mot_catalog_t *territories,
                                        long refresh_ms);
/* Stops the thread (after the rebuild under way) and drops the snapshots. */
void dashboard_store_destroy (dashboard_store_t **self_p);

/* The columns a register page can show and filter by (`kind` MUPOI or
 * MURO), *count of them. */
const dashboard_column_t *dashboard_store_columns (Mot__V1__QueryKind kind, size_t *count);

/* A reference to the register's snapshot (MUPOI or MURO; the caller
 * destroys it), or NULL with *code: UNAVAILABLE (Redis), INTERNAL. */
dashboard_snapshot_t *dashboard_store_get (dashboard_store_t *self, Mot__V1__QueryKind kind,
                                           Mot__V1__ErrorCode *code);

#endif
