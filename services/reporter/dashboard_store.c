/*  dashboard_store — the registers the dashboard's pages read, kept in
 *  memory and refreshed in the background (see dashboard_store.h).
 */
#include "dashboard_store.h"
#include "mot_clock.h"
#include "mot_log.h"
#include "mot_redis.h"
#include "register_query.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

enum { MUPOI, MURO, REGISTERS };

static const char *const NAMES[REGISTERS] = {"MUPOI", "MURO"};

static const dashboard_column_t MUPOI_COLUMNS[] = {
    {"id", false},        {"territorio", false}, {"tema", false},       {"categoria", false},
    {"on", false},        {"impacto", true},     {"frecuencia", true},  {"cuadrante", false},
    {"etapa", false},     {"eventos", true},     {"ultima", false},     {"unidades", false},
};

static const dashboard_column_t MURO_COLUMNS[] = {
    {"id", false},        {"territorio", false}, {"tema", false},         {"categoria", false},
    {"on", false},        {"impacto", true},     {"probabilidad", true},  {"cuadrante", false},
    {"etapa", false},     {"eventos", true},     {"ultima", false},       {"unidades", false},
};

typedef struct {
    dashboard_snapshot_t *snapshot;     /* the newest complete one, or NULL */
    int64_t built_ms;                   /* monotonic, when its rebuild began */
    bool wanted;                        /* a page asked for a rebuild */
    unsigned attempts;                  /* rebuilds finished, done or failed */
    Mot__V1__ErrorCode failure;         /* of the last one (ERROR_UNSPECIFIED: none) */
} held_t;

struct _dashboard_store_t {
    pthread_mutex_t lock;
    pthread_cond_t wake;                /* the thread waits here for work */
    pthread_cond_t done;                /* pages wait here for a rebuild */
    pthread_t thread;
    bool started;
    bool stopping;
    int rebuilding;                     /* the register being rebuilt, -1 none */
    held_t held[REGISTERS];
    long refresh_ms;
    mot_redis_t *redis;                 /* the thread's own */
    mot_clock_t *clock;
    mot_catalog_t *territories;
};

/* ---- time ------------------------------------------------------------------ */

static int64_t
monotonic_ms (void)
{
    struct timespec now;
    clock_gettime (CLOCK_MONOTONIC, &now);
    return (int64_t) now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

static struct timespec
monotonic_after_s (int seconds)
{
    struct timespec at;
    clock_gettime (CLOCK_MONOTONIC, &at);
    at.tv_sec += seconds;
    return at;
}

/* ---- the columns ------------------------------------------------------------ */

const dashboard_column_t *
dashboard_store_columns (Mot__V1__QueryKind kind, size_t *count)
{
    bool muro = kind == MOT__V1__QUERY_KIND__MURO;
    *count = muro ? sizeof MURO_COLUMNS / sizeof MURO_COLUMNS[0] : sizeof MUPOI_COLUMNS / sizeof MUPOI_COLUMNS[0];
    return muro ? MURO_COLUMNS : MUPOI_COLUMNS;
}

static Mot__V1__QueryKind
kind_of (int which)
{
    return which == MURO ? MOT__V1__QUERY_KIND__MURO : MOT__V1__QUERY_KIND__MUPOI;
}

/* ---- rebuilding (the store's thread) ------------------------------------------ */

/* How long each step of a rebuild took (ms). */
typedef struct {
    int64_t query_ms;           /* register_query: Redis and the table */
    int64_t csv_ms;             /* the table as CSV */
    int64_t snapshot_ms;        /* the CSV read and ranked */
} steps_t;

/* The register read from Redis, every item, as a snapshot; NULL with *code. */
static dashboard_snapshot_t *
read_register (dashboard_store_t *self, int which, Mot__V1__ErrorCode *code, steps_t *steps)
{
    int64_t now = mot_clock_now (self->clock);
    int64_t began = monotonic_ms ();
    register_filter_t every_item = {.scope = REGISTER_ALL_ITEMS};
    register_table_t *table = register_query_run_csv (self->redis, self->territories, kind_of (which), &every_item,
                                                      now, code);
    steps->query_ms = monotonic_ms () - began;
    if (!table)
        return NULL;
    size_t size = 0;
    char *csv = register_table_csv (table, &size);
    register_table_destroy (&table);
    steps->csv_ms = monotonic_ms () - began - steps->query_ms;
    size_t count = 0;
    const dashboard_column_t *columns = dashboard_store_columns (kind_of (which), &count);
    dashboard_snapshot_t *snapshot = csv ? dashboard_snapshot_new (csv, size, columns, count, now) : NULL;
    free (csv);
    steps->snapshot_ms = monotonic_ms () - began - steps->query_ms - steps->csv_ms;
    if (!snapshot)
        *code = MOT__V1__ERROR_CODE__INTERNAL;
    return snapshot;
}

static dashboard_snapshot_t *
rebuild (dashboard_store_t *self, int which, Mot__V1__ErrorCode *code)
{
    steps_t steps = {0};
    dashboard_snapshot_t *snapshot = read_register (self, which, code, &steps);
    if (snapshot)
        mot_log_info ("dashboard_snapshot", "register=%s rows=%zu bytes=%zu ms=%lld query_ms=%lld csv_ms=%lld"
                      " snapshot_ms=%lld", NAMES[which], dashboard_snapshot_rows (snapshot),
                      dashboard_snapshot_bytes (snapshot),
                      (long long) (steps.query_ms + steps.csv_ms + steps.snapshot_ms), (long long) steps.query_ms,
                      (long long) steps.csv_ms, (long long) steps.snapshot_ms);
    else
        mot_log_warn ("dashboard_snapshot_failed", "register=%s code=%d", NAMES[which], (int) *code);
    return snapshot;
}

/* The register a page asked to rebuild, -1 when none (called locked). */
static int
next_wanted (dashboard_store_t *self)
{
    for (int which = 0; which < REGISTERS; which++)
        if (self->held[which].wanted)
            return which;
    return -1;
}

/* Puts the rebuild's outcome in place and wakes the pages that wait
 * (called locked); the replaced snapshot is returned to be dropped
 * unlocked. */
static dashboard_snapshot_t *
install (dashboard_store_t *self, int which, dashboard_snapshot_t *snapshot, int64_t began,
         Mot__V1__ErrorCode code)
{
    held_t *held = &self->held[which];
    dashboard_snapshot_t *old = NULL;
    if (snapshot) {
        old = held->snapshot;
        held->snapshot = snapshot;
        held->built_ms = began;
    }
    held->failure = snapshot ? MOT__V1__ERROR_CODE__ERROR_UNSPECIFIED : code;
    held->attempts++;
    self->rebuilding = -1;
    pthread_cond_broadcast (&self->done);
    return old;
}

static void *
run_rebuilds (void *arg)
{
    dashboard_store_t *self = arg;
    pthread_mutex_lock (&self->lock);
    while (!self->stopping) {
        int which = next_wanted (self);
        if (which < 0) {
            pthread_cond_wait (&self->wake, &self->lock);
            continue;
        }
        self->held[which].wanted = false;
        self->rebuilding = which;
        pthread_mutex_unlock (&self->lock);
        int64_t began = monotonic_ms ();
        Mot__V1__ErrorCode code = MOT__V1__ERROR_CODE__INTERNAL;
        dashboard_snapshot_t *snapshot = rebuild (self, which, &code);
        pthread_mutex_lock (&self->lock);
        dashboard_snapshot_t *old = install (self, which, snapshot, began, code);
        pthread_mutex_unlock (&self->lock);
        dashboard_snapshot_destroy (&old);
        pthread_mutex_lock (&self->lock);
    }
    pthread_mutex_unlock (&self->lock);
    return NULL;
}

/* ---- what pages ask (the HTTP thread) ------------------------------------------ */

/* Asks the thread to rebuild the register unless it is at it (called
 * locked). */
static void
ask_rebuild (dashboard_store_t *self, int which)
{
    if (self->rebuilding == which || self->held[which].wanted)
        return;
    self->held[which].wanted = true;
    pthread_cond_signal (&self->wake);
}

/* Waits (locked) until a rebuild of the register finishes after now, or
 * the wait's limit. */
static void
wait_rebuild (dashboard_store_t *self, int which)
{
    unsigned seen = self->held[which].attempts;
    struct timespec limit = monotonic_after_s (DASHBOARD_STORE_WAIT_S);
    while (self->held[which].attempts == seen && !self->stopping)
        if (pthread_cond_timedwait (&self->done, &self->lock, &limit) == ETIMEDOUT)
            break;
}

/* The age past which a snapshot is not shown. */
static int64_t
stale_ms (const dashboard_store_t *self)
{
    int64_t bounds = (int64_t) self->refresh_ms * DASHBOARD_STORE_STALE_BOUNDS;
    return bounds > DASHBOARD_STORE_STALE_MS ? bounds : DASHBOARD_STORE_STALE_MS;
}

dashboard_snapshot_t *
dashboard_store_get (dashboard_store_t *self, Mot__V1__QueryKind kind, Mot__V1__ErrorCode *code)
{
    int which = kind == MOT__V1__QUERY_KIND__MURO ? MURO : MUPOI;
    held_t *held = &self->held[which];
    pthread_mutex_lock (&self->lock);
    int64_t age = held->snapshot ? monotonic_ms () - held->built_ms : INT64_MAX;
    if (age > self->refresh_ms)
        ask_rebuild (self, which);
    if (age > stale_ms (self))
        wait_rebuild (self, which);
    dashboard_snapshot_t *snapshot = dashboard_snapshot_ref (held->snapshot);
    if (!snapshot)
        *code = held->failure == MOT__V1__ERROR_CODE__ERROR_UNSPECIFIED ? MOT__V1__ERROR_CODE__UNAVAILABLE
                                                                        : held->failure;
    pthread_mutex_unlock (&self->lock);
    return snapshot;
}

/* ---- lifetime ------------------------------------------------------------------ */

static bool
start_sync (dashboard_store_t *self)
{
    pthread_condattr_t attributes;
    if (pthread_condattr_init (&attributes) != 0)
        return false;
    bool ok = pthread_condattr_setclock (&attributes, CLOCK_MONOTONIC) == 0
              && pthread_mutex_init (&self->lock, NULL) == 0;
    if (ok && pthread_cond_init (&self->wake, NULL) != 0)
        ok = false;
    if (ok && pthread_cond_init (&self->done, &attributes) != 0) {
        pthread_cond_destroy (&self->wake);
        ok = false;
    }
    pthread_condattr_destroy (&attributes);
    return ok;
}

dashboard_store_t *
dashboard_store_new (mot_redis_t *redis, bool test_clock, mot_catalog_t *territories, long refresh_ms)
{
    dashboard_store_t *self = calloc (1, sizeof *self);
    if (!self)
        return NULL;
    if (!start_sync (self)) {
        free (self);
        return NULL;
    }
    self->rebuilding = -1;
    self->refresh_ms = refresh_ms;
    self->territories = territories;
    self->redis = mot_redis_dup (redis);
    self->clock = self->redis ? mot_clock_new (self->redis, test_clock) : NULL;
    self->started = self->clock && pthread_create (&self->thread, NULL, run_rebuilds, self) == 0;
    if (!self->started)
        dashboard_store_destroy (&self);
    return self;
}

void
dashboard_store_destroy (dashboard_store_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    dashboard_store_t *self = *self_p;
    if (self->started) {
        pthread_mutex_lock (&self->lock);
        self->stopping = true;
        pthread_cond_broadcast (&self->wake);
        pthread_cond_broadcast (&self->done);
        pthread_mutex_unlock (&self->lock);
        pthread_join (self->thread, NULL);
    }
    for (int which = 0; which < REGISTERS; which++)
        dashboard_snapshot_destroy (&self->held[which].snapshot);
    mot_clock_destroy (&self->clock);
    mot_redis_destroy (&self->redis);
    pthread_cond_destroy (&self->done);
    pthread_cond_destroy (&self->wake);
    pthread_mutex_destroy (&self->lock);
    free (self);
    *self_p = NULL;
}
