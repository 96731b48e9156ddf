/*  mot-deadline-watcher — owns time: report obligations and their deadlines.
 *
 *  Owns: the process: options, the catalogue and calendar files, the sockets
 *  (PULL connected to intake's watch socket, PUSH connected to the notifier)
 *  and one zloop with three handlers: work from intake, the tick (create
 *  monthly obligations that came due, fire due timers) and the outbox
 *  re-drive. All state is in Redis (see obligation.h, timers.h, monthly.h,
 *  outbox.h), so any number of watchers may run and a restart loses nothing.
 */
#include "dispatch.h"
#include "monthly.h"
#include "mot_service.h"
#include "obligation.h"
#include "outbox.h"
#include "timers.h"

#include <czmq.h>
#include <stdlib.h>

static const mot_option_t options[] = {
    {"intake", "MOT_WATCHER_INTAKE", "tcp://127.0.0.1:5552", "intake's watch endpoint (PULL, connect)"},
    {"notifier", "MOT_WATCHER_NOTIFIER", "tcp://127.0.0.1:5553", "notifier's collect endpoint (PUSH, connect)"},
    {"catalogue", "MOT_OBLIGATIONS", MOT_OBLIGATIONS_DEFAULT_FILE, "obligation catalogue (TSV)"},
    {"calendar", "MOT_CALENDAR", MOT_CALENDAR_DEFAULT_FILE, "extra non-working days (TSV)"},
    {"watch-from", "MOT_WATCH_FROM", NULL,
     "YYYY-MM: first period of monthly obligations (default: the month before today, at first start)"},
    {"tick-ms", "MOT_WATCHER_TICK_MS", "1000", "how often to create due obligations and fire timers"},
    {"redrive-ms", "MOT_WATCHER_REDRIVE_MS", "5000", "re-send notices the notifier has not taken after this"},
    {"remind-bd", "MOT_REMIND_BD", "2", "reminder this many business days before a deadline (0: none)"},
    {NULL, NULL, NULL, NULL}};

typedef struct {
    mot_service_t *service;
    long tick_ms, redrive_ms, remind_bd;
    mot_obligations_t *catalogue;
    mot_calendar_t *calendar;
    zsock_t *intake;
    zsock_t *notifier;
    outbox_t *outbox;
    obligation_store_t *store;
    timers_t *timers;
    monthly_t *monthly;
    dispatch_t *dispatch;
} watcher_t;

static void
watcher_destroy (watcher_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    watcher_t *self = *self_p;
    dispatch_destroy (&self->dispatch);
    monthly_destroy (&self->monthly);
    timers_destroy (&self->timers);
    obligation_store_destroy (&self->store);
    outbox_destroy (&self->outbox);
    zsock_destroy (&self->intake);
    zsock_destroy (&self->notifier);
    mot_calendar_destroy (&self->calendar);
    mot_obligations_destroy (&self->catalogue);
    mot_service_destroy (&self->service);
    free (self);
    *self_p = NULL;
}

static bool
read_numbers (watcher_t *self)
{
    mot_config_t *config = self->service->config;
    return mot_config_get_long (config, "tick-ms", 10, 3600000, &self->tick_ms)
        && mot_config_get_long (config, "redrive-ms", 100, 3600000, &self->redrive_ms)
        && mot_config_get_long (config, "remind-bd", 0, MOT_OBLIGATION_MAX_DAYS, &self->remind_bd);
}

static bool
load_data_files (watcher_t *self)
{
    mot_config_t *config = self->service->config;
    char *error = NULL;
    self->catalogue = mot_obligations_new (mot_config_get (config, "catalogue"), &error);
    if (self->catalogue)
        self->calendar = mot_calendar_new (mot_config_get (config, "calendar"), &error);
    if (!self->calendar)
        mot_log_error ("data_file_invalid", "error=\"%s\"", error ? error : "out of memory");
    else
        mot_log_info ("data_loaded", "obligations=%zu", mot_obligations_size (self->catalogue));
    free (error);
    return self->calendar != NULL;
}

/* A socket connected to `endpoint`, or NULL (logged). */
static zsock_t *
connect_socket (int type, const char *endpoint, const char *option)
{
    zsock_t *socket = zsock_new (type);
    if (socket && zsock_connect (socket, "%s", endpoint) == 0)
        return socket;
    mot_log_error ("connect_failed", "option=%s endpoint=%s", option, endpoint);
    zsock_destroy (&socket);
    return NULL;
}

static bool
open_sockets (watcher_t *self)
{
    mot_config_t *config = self->service->config;
    self->intake = connect_socket (ZMQ_PULL, mot_config_get (config, "intake"), "intake");
    self->notifier = connect_socket (ZMQ_PUSH, mot_config_get (config, "notifier"), "notifier");
    if (!self->intake || !self->notifier)
        return false;
    zsock_set_maxmsgsize (self->intake, DISPATCH_LIMIT);
    return true;
}

static bool
build_modules (watcher_t *self)
{
    mot_redis_t *redis = self->service->redis;
    self->outbox = outbox_new (redis, self->notifier);
    if (self->outbox)
        self->store = obligation_store_new (redis, self->calendar, self->outbox, (int) self->remind_bd);
    if (self->store) {
        self->timers = timers_new (redis, self->calendar, self->outbox);
        self->monthly = monthly_new (redis, self->catalogue, self->calendar, self->store,
                                     mot_config_get (self->service->config, "watch-from"));
        self->dispatch = dispatch_new (redis, self->catalogue, self->calendar, self->store);
    }
    return self->timers && self->monthly && self->dispatch;
}

static watcher_t *
watcher_new (int argc, char **argv, int *exit_code)
{
    watcher_t *self = calloc (1, sizeof *self);
    if (!self)
        return NULL;
    self->service = mot_service_new ("deadline-watcher", "Creates report obligations from the catalogue, "
                                     "watches their deadlines and sends reminders and overdue notices.",
                                     options, argc, argv, exit_code);
    if (!self->service) {
        free (self);
        return NULL;
    }
    *exit_code = 1;
    if (!read_numbers (self) || !load_data_files (self) || !open_sockets (self) || !build_modules (self))
        watcher_destroy (&self);
    return self;
}

static int
on_intake (zloop_t *loop, zsock_t *reader, void *arg)
{
    (void) loop;
    watcher_t *self = (watcher_t *) arg;
    zmsg_t *msg = zmsg_recv (reader);
    if (msg)
        dispatch_handle (self->dispatch, &msg, mot_clock_now (self->service->clock));
    return 0;
}

static int
on_tick (zloop_t *loop, int timer_id, void *arg)
{
    (void) loop;
    (void) timer_id;
    watcher_t *self = (watcher_t *) arg;
    int64_t now = mot_clock_now (self->service->clock);
    monthly_generate (self->monthly, now);
    timers_fire_due (self->timers, now);
    return 0;
}

static int
on_redrive (zloop_t *loop, int timer_id, void *arg)
{
    (void) loop;
    (void) timer_id;
    watcher_t *self = (watcher_t *) arg;
    outbox_redrive (self->outbox, (self->redrive_ms + 999) / 1000);
    return 0;
}

static int
run_loop (watcher_t *self)
{
    zloop_t *loop = zloop_new ();
    if (!loop)
        return 1;
    int rc = zloop_reader (loop, self->intake, on_intake, self);
    zloop_reader_set_tolerant (loop, self->intake);
    if (rc == 0)
        rc = zloop_timer (loop, (size_t) self->tick_ms, 0, on_tick, self) < 0 ? -1 : 0;
    if (rc == 0)
        rc = zloop_timer (loop, (size_t) self->redrive_ms, 0, on_redrive, self) < 0 ? -1 : 0;
    if (rc == 0) {
        mot_log_info ("ready", "tick_ms=%ld redrive_ms=%ld remind_bd=%ld", self->tick_ms, self->redrive_ms,
                      self->remind_bd);
        zloop_start (loop);
        mot_log_info ("stopping", "reason=signal");
    }
    zloop_destroy (&loop);
    return rc == 0 ? 0 : 1;
}

int
main (int argc, char **argv)
{
    int exit_code = 1;
    watcher_t *watcher = watcher_new (argc, argv, &exit_code);
    if (!watcher)
        return exit_code;
    exit_code = run_loop (watcher);
    watcher_destroy (&watcher);
    return exit_code;
}
