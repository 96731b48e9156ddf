/*  mot_peer — what the peer that sent a message may do (see mot_peer.h).
 */
#include "mot_peer.h"
#include "mot_curve.h"
#include "mot_grant.h"

#include <stdlib.h>
#include <string.h>

static const char *
property (zframe_t *frame, const char *name)
{
    const char *value = zframe_meta (frame, name);
    return value ? value : "";
}

mot_peer_t
mot_peer_of (zframe_t *frame)
{
    mot_peer_t self = {.name = "", .role = "", .units = "", .registers = "", .topics = ""};
    if (!mot_curve_on () || !frame)
        return self;
    self.certified = true;
    if (!zframe_meta (frame, "User-Id")) {
        /* No ZAP ran for this connection: this process is the CURVE client
         * (a server socket always has zauth, mot_curve), and the peer is
         * the server whose key it checked, a service (a mot-proxy that an
         * intake connects to). */
        self.name = "server";
        self.role = "service";
        return self;
    }
    self.name = property (frame, "name");
    self.role = property (frame, "role");
    self.units = property (frame, "units");
    self.registers = property (frame, "registers");
    self.topics = property (frame, "topics");
    return self;
}

/* Whether the unit list (mot_grant's words) holds `unit`. */
static bool
unit_granted (const char *list, const char *unit)
{
    mot_grant_set_t set;
    return mot_grant_read_units (list, &set) && mot_grant_has_any_unit (set, unit);
}

/* Whether the register list holds the register called `name`; `items`
 * (every item) holds mupoi and muro, as on the dashboard. */
static bool
register_granted (const char *list, const char *name)
{
    mot_grant_set_t set;
    if (!mot_grant_read_registers (list, &set))
        return false;
    for (int which = 0; which < MOT_REGISTER_COUNT; which++)
        if (strcmp (mot_register_name ((mot_register_t) which), name) == 0)
            return mot_grant_has_register (set, (mot_register_t) which)
                   || ((which == MOT_REGISTER_MUPOI || which == MOT_REGISTER_MURO)
                       && mot_grant_has_register (set, MOT_REGISTER_ITEMS));
    return false;
}

/* Whether one prefix of the comma-separated `list` starts `topic`. */
static bool
prefix_listed (const char *list, const char *topic)
{
    if (strcmp (list, "*") == 0)
        return true;
    for (const char *at = list; *at;) {
        size_t span = strcspn (at, ",");
        if (span > 0 && strncmp (at, topic, span) == 0)
            return true;
        at += span + (at[span] == ',');
    }
    return false;
}

bool
mot_peer_is_service (const mot_peer_t *self)
{
    return !self->certified || strcmp (self->role, "service") == 0;
}

bool
mot_peer_may_publish_as (const mot_peer_t *self, const char *unit)
{
    if (mot_peer_is_service (self))
        return true;
    return (strcmp (self->role, "upstream") == 0 || strcmp (self->role, "analyst") == 0)
           && unit_granted (self->units, unit);
}

bool
mot_peer_may_command_for (const mot_peer_t *self, const char *unit)
{
    return mot_peer_is_service (self) || (strcmp (self->role, "analyst") == 0 && unit_granted (self->units, unit));
}

bool
mot_peer_may_read (const mot_peer_t *self, const char *name)
{
    return mot_peer_is_service (self) || register_granted (self->registers, name);
}

bool
mot_peer_may_follow (const mot_peer_t *self, const char *topic)
{
    return mot_peer_is_service (self) || prefix_listed (self->topics, topic);
}

/* ---- forwarded credentials ------------------------------------------------ */

#define FRAME_PARTS 6           /* the magic and five properties */

zframe_t *
mot_peer_frame_new (const mot_peer_t *self)
{
    const char *parts[FRAME_PARTS] = {MOT_PEER_FRAME_MAGIC, self->name, self->role, self->units, self->registers,
                                      self->topics};
    size_t size = 0;
    for (int i = 0; i < FRAME_PARTS; i++)
        size += strlen (parts[i]) + 1;
    zframe_t *frame = zframe_new (NULL, size);
    if (!frame)
        return NULL;
    char *at = (char *) zframe_data (frame);
    for (int i = 0; i < FRAME_PARTS; i++) {
        size_t length = strlen (parts[i]) + 1;
        memcpy (at, parts[i], length);
        at += length;
    }
    return frame;
}

bool
mot_peer_frame_is (zframe_t *frame)
{
    return frame && zframe_size (frame) > sizeof MOT_PEER_FRAME_MAGIC
           && memcmp (zframe_data (frame), MOT_PEER_FRAME_MAGIC, sizeof MOT_PEER_FRAME_MAGIC) == 0;
}

bool
mot_peer_forwarded (const mot_peer_t *sender, zframe_t *frame, mot_peer_t *peer)
{
    if (!sender->certified || !mot_peer_is_service (sender) || !mot_peer_frame_is (frame))
        return false;
    const char *data = (const char *) zframe_data (frame);
    size_t size = zframe_size (frame);
    if (data[size - 1] != 0)
        return false;
    const char *parts[FRAME_PARTS];
    int count = 0;
    for (size_t at = 0; at < size && count <= FRAME_PARTS; at += strlen (data + at) + 1)
        if (count < FRAME_PARTS)
            parts[count++] = data + at;
        else
            count++;
    if (count != FRAME_PARTS)
        return false;
    *peer = (mot_peer_t){.certified = true, .name = parts[1], .role = parts[2], .units = parts[3],
                         .registers = parts[4], .topics = parts[5]};
    return true;
}
