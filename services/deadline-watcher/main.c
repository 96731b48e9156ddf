/*  mot-deadline-watcher — owns time: report obligations and their deadlines.
 *
 *  Owns: the process: options, the catalogue, calendar and escalation files,
 *  the sockets (PULL connected to intake's watch socket, PUSH connected to
 *  the notifier) and one zloop with four handlers: work from intake, SIGHUP
 *  (a signalfd: ask for a calendar reload), the tick (reload the calendar
 *  when asked or when its file changed, then recompute pending deadlines;
 *  create monthly and fortnightly obligations that came due; freeze the
 *  item positions of a month that closed, --freeze-per-tick items a tick;
 *  fire due timers, missed ones at most --catchup-per-tick). Notices go into the
 *  notice log in the same script as the change that causes them; the PUSH
 *  socket only wakes the notifier (notice_log.h). All state is in Redis (see
 *  obligation.h, timers.h, monthly.h, periods.h, followup.h), so any number of watchers
 *  may run and a restart loses nothing.
 */
#include "calendar_file.h"
#include "dispatch.h"
#include "escalation.h"
#include "followup.h"
#include "gauges.h"
#include "monthly.h"
#include "periods.h"
#include "mot_endpoints.h"
#include "mot_metrics.h"
#include "mot_service.h"
#include "mot_socket.h"
#include "notice_log.h"
#include "obligation.h"
#include "timers.h"

#include <czmq.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

static const mot_option_t options[] = {
    {"intake", "MOT_WATCHER_INTAKE", MOT_DEFAULT_WATCH, "intake's watch endpoint (PULL; connect, '@' to bind; comma-separated for several)"},
    {"notifier", "MOT_WATCHER_NOTIFIER", MOT_DEFAULT_COLLECT, "notifier's wake-up endpoint (PUSH; connect, '@' to bind)"},
    {"catalogue", "MOT_OBLIGATIONS", MOT_OBLIGATIONS_DEFAULT_FILE, "obligation catalogue (TSV)"},
    {"calendar", "MOT_CALENDAR", MOT_CALENDAR_DEFAULT_FILE, "extra non-working days (TSV)"},
    {"watch-from", "MOT_WATCH_FROM", NULL,
     "YYYY-MM: first period of monthly obligations (default: the month before today, at first start)"},
    {"tick-ms", "MOT_WATCHER_TICK_MS", "100",
     "how often to create due obligations and fire timers (a due timer waits at most this long)"},
    {"remind-bd", "MOT_REMIND_BD", "2", "reminder this many business days before a deadline (0: none)"},
    {"escalation", "MOT_ESCALATION", ESCALATION_DEFAULT_FILE, "recipients per escalation level (TSV)"},
    {"escalate-every-bd", "MOT_ESCALATE_EVERY_BD", "5",
     "escalate an overdue obligation every this many business days (0: never)"},
    {"escalate-max", "MOT_ESCALATE_MAX", "",
     "highest escalation level (default: the escalation file's last level; never above it)"},
    {"catchup-per-tick", "MOT_WATCHER_CATCHUP_PER_TICK", "50",
     "most MISSED timers fired per tick (bounds the catch-up rate after downtime; timers due now all fire)"},
    {"freeze-per-tick", "MOT_WATCHER_FREEZE_PER_TICK", "2000",
     "most items whose position is frozen per tick when a month closes (periods.h)"},
    {NULL, NULL, NULL, NULL}};

typedef struct {
    mot_service_t *service;
    long tick_ms, remind_bd, escalate_every_bd, escalate_max, catchup_per_tick, freeze_per_tick;
    bool reload_requested;              /* SIGHUP came: reload the calendar on the next tick */
    mot_obligations_t *catalogue;
    calendar_file_t *calendars;
    escalation_t *escalation;
    followup_t *followup;
    zsock_t *intake;
    zsock_t *notifier;
    notice_log_t *log;
    obligation_store_t *store;
    timers_t *timers;
    monthly_t *monthly;
    periods_t *periods;
    dispatch_t *dispatch;
    gauges_t *gauges;
    int sighup_fd;                      /* the signalfd of SIGHUP, when has_sighup */
    zmq_pollitem_t sighup_item;
    bool has_sighup;
} watcher_t;

static void
watcher_close (void *arg)
{
    watcher_t *self = arg;
    if (self->has_sighup)
        close (self->sighup_fd);
    gauges_destroy (&self->gauges);
    dispatch_destroy (&self->dispatch);
    followup_destroy (&self->followup);
    monthly_destroy (&self->monthly);
    periods_destroy (&self->periods);
    timers_destroy (&self->timers);
    obligation_store_destroy (&self->store);
    notice_log_destroy (&self->log);
    zsock_destroy (&self->intake);
    zsock_destroy (&self->notifier);
    calendar_file_destroy (&self->calendars);
    escalation_destroy (&self->escalation);
    mot_obligations_destroy (&self->catalogue);
}

static bool
read_numbers (watcher_t *self)
{
    mot_config_t *config = self->service->config;
    const char *escalate_max = mot_config_get (config, "escalate-max");
    self->escalate_max = -1;            /* not set: the escalation file's last level */
    return mot_config_get_long (config, "tick-ms", 10, 3600000, &self->tick_ms)
        && mot_config_get_long (config, "remind-bd", 0, MOT_OBLIGATION_MAX_DAYS, &self->remind_bd)
        && mot_config_get_long (config, "escalate-every-bd", 0, MOT_OBLIGATION_MAX_DAYS, &self->escalate_every_bd)
        && (!escalate_max || !*escalate_max
            || mot_config_get_long (config, "escalate-max", 0, ESCALATION_MAX_LEVELS, &self->escalate_max))
        && mot_config_get_long (config, "catchup-per-tick", 1, 100000, &self->catchup_per_tick)
        && mot_config_get_long (config, "freeze-per-tick", 1, 1000000, &self->freeze_per_tick);
}

/* No escalation goes beyond the file's last level: --escalate-max above it
 * is lowered (and logged); unset, it is that level. */
static void
cap_escalation (watcher_t *self)
{
    bool capped = false;
    long requested = self->escalate_max;
    self->escalate_max = escalation_highest_level (self->escalation, requested, &capped);
    if (capped)
        mot_log_warn ("escalate_max_capped", "requested=%ld escalation_levels=%zu escalate_max=%ld", requested,
                      escalation_levels (self->escalation), self->escalate_max);
}

static bool
load_data_files (watcher_t *self)
{
    mot_config_t *config = self->service->config;
    char *error = NULL;
    self->catalogue = mot_obligations_new (mot_config_get (config, "catalogue"), &error);
    if (self->catalogue)
        self->escalation = escalation_new (mot_config_get (config, "escalation"), &error);
    if (!self->escalation)
        mot_log_error ("data_file_invalid", "error=\"%s\"", error ? error : "out of memory");
    free (error);
    if (self->escalation) {
        cap_escalation (self);
        self->calendars = calendar_file_new (mot_config_get (config, "calendar"));
    }
    if (self->calendars)
        mot_log_info ("data_loaded", "obligations=%zu escalation_levels=%zu", mot_obligations_size (self->catalogue),
                      escalation_levels (self->escalation));
    return self->calendars != NULL;
}

/* Both sockets connect by default (intake and the notifier bind); the
 * intake side refuses anything larger than a dispatch. */
static bool
open_sockets (watcher_t *self)
{
    mot_config_t *config = self->service->config;
    mot_socket_options_t intake = {.max_size = DISPATCH_LIMIT, .curve_role = MOT_CURVE_ROLE_SERVER};  /* see intake's dispatch */
    self->intake = mot_socket_new (ZMQ_PULL, mot_config_get (config, "intake"), false, "intake", &intake, "intake");
    self->notifier = mot_socket_new (ZMQ_PUSH, mot_config_get (config, "notifier"), false, "notifier", NULL, "notifier");
    return self->intake && self->notifier;
}

static bool
build_modules (watcher_t *self)
{
    mot_redis_t *redis = self->service->redis;
    obligation_timing_t timing = {(int) self->remind_bd, (int) self->escalate_every_bd, (int) self->escalate_max};
    /* A timer fired later than this after its time is a catch-up. */
    int64_t grace = 60 + 2 * (self->tick_ms + 999) / 1000;
    self->log = notice_log_new (self->notifier);
    if (self->log)
        self->store = obligation_store_new (redis, self->calendars, self->log, timing);
    if (self->store) {
        self->timers = timers_new (redis, self->calendars, self->log, self->store, self->escalation, grace);
        self->monthly = monthly_new (redis, self->catalogue, self->calendars, self->store,
                                     mot_config_get (self->service->config, "watch-from"));
        self->periods = periods_new (redis, mot_config_get (self->service->config, "watch-from"),
                                     (size_t) self->freeze_per_tick);
        self->followup = followup_new (redis, self->catalogue, self->store);
    }
    if (self->followup)
        self->dispatch = dispatch_new (redis, self->catalogue, self->store, self->followup);
    mot_metrics_counter (MOT_WATCHER_TIMERS_METRIC, MOT_WATCHER_TIMERS_HELP, "outcome", "created", NULL);
    self->gauges = gauges_new (redis);
    return self->timers && self->monthly && self->periods && self->dispatch && self->gauges;
}

static bool
watcher_open (void *arg, mot_service_t *service)
{
    watcher_t *self = arg;
    self->service = service;
    return read_numbers (self) && load_data_files (self) && open_sockets (self) && build_modules (self);
}

static int
on_intake (zloop_t *loop, zsock_t *reader, void *arg)
{
    (void) loop;
    watcher_t *self = (watcher_t *) arg;
    int64_t now = mot_clock_now (self->service->clock);
    /* What is at hand now, up to a batch, then the queued actions at once. */
    for (int received = 0; received < DISPATCH_BATCH; received++) {
        if (received > 0 && !(zsock_events (reader) & ZMQ_POLLIN))
            break;
        zmsg_t *msg = zmsg_recv (reader);
        if (!msg)
            break;
        dispatch_handle (self->dispatch, &msg, now);
    }
    dispatch_flush (self->dispatch, now);
    return 0;
}

static int
on_tick (zloop_t *loop, int timer_id, void *arg)
{
    (void) loop;
    (void) timer_id;
    watcher_t *self = (watcher_t *) arg;
    int64_t now = mot_clock_now (self->service->clock);
    bool forced = self->reload_requested;
    self->reload_requested = false;
    if (calendar_file_check (self->calendars, forced))
        obligation_store_recompute (self->store, now);
    monthly_generate (self->monthly, now);
    periods_freeze (self->periods, now);
    followup_tick (self->followup, now);
    timers_fire_due (self->timers, now, self->catchup_per_tick);
    return 0;
}

static int
on_gauges (zloop_t *loop, int timer_id, void *arg)
{
    (void) loop;
    (void) timer_id;
    watcher_t *self = (watcher_t *) arg;
    gauges_refresh (self->gauges, mot_clock_now (self->service->clock));
    return 0;
}

/* SIGHUP arrives on a signalfd the loop polls: a handler would interrupt
 * zmq_poll, which ends zloop. Returns the fd, or -1 (logged). */
static int
open_sighup_fd (void)
{
    sigset_t set;
    sigemptyset (&set);
    sigaddset (&set, SIGHUP);
    if (sigprocmask (SIG_BLOCK, &set, NULL) != 0)
        return -1;
    return signalfd (-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
}

static int
on_sighup (zloop_t *loop, zmq_pollitem_t *item, void *arg)
{
    (void) loop;
    watcher_t *self = (watcher_t *) arg;
    struct signalfd_siginfo info;
    while (read (item->fd, &info, sizeof info) == (ssize_t) sizeof info)
        self->reload_requested = true;
    mot_log_info ("sighup", "action=reload_calendar_on_next_tick");
    return 0;
}

/* SIGHUP reloads the calendar; without a signalfd only a file change does. */
static bool
attach_sighup (watcher_t *self, zloop_t *loop)
{
    self->sighup_fd = open_sighup_fd ();
    self->has_sighup = self->sighup_fd >= 0;
    if (!self->has_sighup) {
        mot_log_warn ("sighup_not_caught", "reload=file_change_only");
        return true;
    }
    self->sighup_item = (zmq_pollitem_t) {NULL, self->sighup_fd, ZMQ_POLLIN, 0};
    return zloop_poller (loop, &self->sighup_item, on_sighup, self) == 0;
}

static bool
watcher_attach (void *arg, zloop_t *loop)
{
    watcher_t *self = arg;
    if (zloop_reader (loop, self->intake, on_intake, self) != 0 || !attach_sighup (self, loop)
        || zloop_timer (loop, (size_t) self->tick_ms, 0, on_tick, self) < 0
        || zloop_timer (loop, MOT_METRICS_REFRESH_MS, 0, on_gauges, self) < 0)
        return false;
    zloop_reader_set_tolerant (loop, self->intake);
    mot_log_info ("serving", "tick_ms=%ld remind_bd=%ld escalate_every_bd=%ld escalate_max=%ld "
                  "catchup_per_tick=%ld", self->tick_ms, self->remind_bd, self->escalate_every_bd,
                  self->escalate_max, self->catchup_per_tick);
    return true;
}

static const mot_service_class_t watcher_service = {
    "deadline-watcher",
    "Creates report obligations from the catalogue, watches their deadlines and sends reminders and overdue notices.",
    options, watcher_open, watcher_attach, watcher_close};

int
main (int argc, char **argv)
{
    watcher_t self = {0};
    return mot_service_run (&watcher_service, &self, argc, argv);
}
