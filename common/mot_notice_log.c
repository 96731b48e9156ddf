/*  mot_notice_log — the notice log's bytes: packing a batch of notices for
 *  an entry, splitting an entry into notices with their seqs (see
 *  mot_notice_log.h).
 */
#include "mot_notice_log.h"
#include "mot_notice_text.h"
#include "mot_redis.h"
#include "mot_schema.h"
#include "mot_wire.h"

#include <stdlib.h>
#include <string.h>

/* A packed Notice is small; one larger than this is not one of ours. */
#define NOTICE_LIMIT (16 * 1024)
/* The longest varint, in bytes. */
#define VARINT_MAX 10

/* ---- the protobuf bytes made by hand ------------------------------------ */

/* Protobuf wire types. */
enum { WIRE_VARINT = 0, WIRE_LENGTH_DELIMITED = 2 };

/* A field of the contract that is written by hand: where protobuf-c's
 * descriptor has its number, and how it is encoded here. */
typedef struct {
    const ProtobufCMessageDescriptor *message;
    const char *name;
    ProtobufCType type;             /* what the encoding here assumes it is */
    unsigned wire_type;
} field_t;

/* NoticeBatch.notices: each notice, length-delimited. */
static const field_t batch_notices = {&mot__v1__notice_batch__descriptor, "notices", PROTOBUF_C_TYPE_MESSAGE,
                                      WIRE_LENGTH_DELIMITED};
/* Notice.seq: a varint. */
static const field_t notice_seq = {&mot__v1__notice__descriptor, "seq", PROTOBUF_C_TYPE_UINT64, WIRE_VARINT};

/* Writes `value` as a protobuf varint at `out` (room for VARINT_MAX bytes);
 * returns how many bytes it took. */
static size_t
put_varint (uint8_t *out, uint64_t value)
{
    size_t length = 0;
    while (value >= 0x80) {
        out[length++] = (uint8_t) (value | 0x80);
        value >>= 7;
    }
    out[length++] = (uint8_t) value;
    return length;
}

/* Writes the field's key (its number and wire type, a varint) at `out`;
 * returns how many bytes it took, 0 when the contract has no such field of
 * that type (then nothing here would be what protobuf-c packs). */
static size_t
put_key (uint8_t *out, const field_t *field)
{
    const ProtobufCFieldDescriptor *found = protobuf_c_message_descriptor_get_field_by_name (field->message,
                                                                                            field->name);
    if (!found || found->type != field->type)
        return 0;
    return put_varint (out, (uint64_t) found->id << 3 | field->wire_type);
}

/* Writes the field's key, then `value` as a varint: the value of a varint
 * field, the length of a length-delimited one. Returns how many bytes it
 * took (at most 2 * VARINT_MAX), 0 when the key is unknown. */
static size_t
put_field (uint8_t *out, const field_t *field, uint64_t value)
{
    size_t key = put_key (out, field);
    return key ? key + put_varint (out + key, value) : 0;
}

/* ---- writing ------------------------------------------------------------ */

void
mot_notice_batch_init (mot_notice_batch_t *self)
{
    memset (self, 0, sizeof *self);
}

void
mot_notice_batch_clear (mot_notice_batch_t *self)
{
    free (self->data);
    mot_notice_batch_init (self);
}

/* Room for `more` bytes. */
static bool
batch_reserve (mot_notice_batch_t *self, size_t more)
{
    if (self->size + more <= self->capacity)
        return true;
    size_t capacity = self->capacity ? self->capacity : 4096;
    while (capacity < self->size + more)
        capacity *= 2;
    uint8_t *data = realloc (self->data, capacity);
    if (!data)
        return false;
    self->data = data;
    self->capacity = capacity;
    return true;
}

bool
mot_notice_batch_append (mot_notice_batch_t *self, Mot__V1__Notice *notice)
{
    if (self->count >= MOT_NOTICE_LOG_WRITE_MAX)
        return false;
    char *text = mot_notice_text_render (notice);
    if (!text)
        return false;
    notice->text = text;
    size_t size = mot__v1__notice__get_packed_size (notice);
    uint8_t head[2 * VARINT_MAX];
    size_t head_size = put_field (head, &batch_notices, size);
    bool ok = head_size > 0 && batch_reserve (self, head_size + size);
    if (ok) {
        memcpy (self->data + self->size, head, head_size);
        self->size += head_size;
        self->size += mot__v1__notice__pack (notice, self->data + self->size);
        self->count++;
    }
    notice->text = NULL;
    free (text);
    return ok;
}

/* ---- reading ------------------------------------------------------------ */

/* Reads a varint at data[*at], at most `end`; false when it is cut or too long. */
static bool
get_varint (const uint8_t *data, size_t end, size_t *at, uint64_t *value)
{
    *value = 0;
    for (int shift = 0; shift < 64 && *at < end; shift += 7) {
        uint8_t byte = data[(*at)++];
        *value |= (uint64_t) (byte & 0x7f) << shift;
        if (!(byte & 0x80))
            return true;
    }
    return false;
}

/* Steps over `expected` (size bytes) at data[*at], at most `end`; false
 * when the bytes there are not it. */
static bool
skip_expected (const uint8_t *data, size_t end, size_t *at, const uint8_t *expected, size_t size)
{
    if (end - *at < size || memcmp (data + *at, expected, size) != 0)
        return false;
    *at += size;
    return true;
}

/* The notices of a packed NoticeBatch, in a new array (*count of them);
 * NULL when it is not one or out of memory. */
static mot_logged_notice_t *
split_batch (const uint8_t *data, size_t size, size_t *count)
{
    uint8_t key[VARINT_MAX];
    size_t key_size = put_key (key, &batch_notices);
    size_t capacity = 16, at = 0;
    mot_logged_notice_t *notices = key_size ? malloc (capacity * sizeof *notices) : NULL;
    *count = 0;
    while (notices && at < size) {
        uint64_t length;
        if (!skip_expected (data, size, &at, key, key_size) || !get_varint (data, size, &at, &length)
            || length > size - at) {
            free (notices);
            *count = 0;
            return NULL;
        }
        if (*count == capacity) {
            capacity *= 2;
            mot_logged_notice_t *more = realloc (notices, capacity * sizeof *notices);
            if (!more)
                free (notices);
            notices = more;
            if (!notices)
                return NULL;
        }
        notices[(*count)++] = (mot_logged_notice_t) {0, data + at, (size_t) length};
        at += (size_t) length;
    }
    return notices;
}

/* Keeps, in order, the notices `which` names ("all", or increasing 0-based
 * indexes, comma-separated); false when it names any other way. */
static bool
keep_held (mot_log_entry_t *entry, const char *which)
{
    if (strcmp (which, MOT_LOG_WHICH_ALL) == 0)
        return true;
    size_t kept = 0;
    long long previous = -1;
    const char *at = which;
    while (*at) {
        char *end = NULL;
        long long index = strtoll (at, &end, 10);
        if (end == at || index <= previous || (size_t) index >= entry->count || (*end && *end != ',')
            || (*end == ',' && !end[1]))
            return false;
        entry->notices[kept++] = entry->notices[index];
        previous = index;
        at = *end ? end + 1 : end;
    }
    entry->count = kept;
    return kept > 0;
}

static bool
read_entry (const redisReply *element, mot_log_entry_t *entry, const char **reason)
{
    memset (entry, 0, sizeof *entry);
    *reason = "bad_entry";
    if (element->type != REDIS_REPLY_ARRAY || element->elements != 2 || element->element[0]->type != REDIS_REPLY_STRING
        || element->element[1]->type != REDIS_REPLY_ARRAY || !mot_notice_log_seq (element->element[0], &entry->first)
        || entry->first == 0)
        return false;
    entry->last = entry->first - 1;
    const redisReply *fields = element->element[1];
    const redisReply *n = mot_reply_field (fields, MOT_LOG_N);
    const redisReply *which = mot_reply_field (fields, MOT_LOG_WHICH);
    const redisReply *notices = mot_reply_field (fields, MOT_LOG_NOTICES);
    uint64_t held;
    if (!n || n->type != REDIS_REPLY_STRING || !mot_notice_log_seq (n, &held) || held == 0)
        return false;
    entry->last = entry->first + held - 1;
    *reason = "bad_batch";
    if (!which || which->type != REDIS_REPLY_STRING || !notices || notices->type != REDIS_REPLY_STRING)
        return false;
    entry->notices = split_batch ((const uint8_t *) notices->str, notices->len, &entry->count);
    if (!entry->notices)
        return false;
    *reason = "bad_which";
    if (!keep_held (entry, which->str) || entry->count != held)
        return false;
    for (size_t k = 0; k < entry->count; k++)
        entry->notices[k].seq = entry->first + k;
    *reason = NULL;
    return true;
}

bool
mot_log_entry_read (const redisReply *element, mot_log_entry_t *entry, const char **reason)
{
    if (read_entry (element, entry, reason))
        return true;
    /* A refused entry holds no notices: its readers step over it by count
     * (a batch cut after its first notices, or a `which` that does not fit,
     * left some split, without their seqs). */
    free (entry->notices);
    entry->notices = NULL;
    entry->count = 0;
    return false;
}

void
mot_log_entry_free (mot_log_entry_t *entry)
{
    free (entry->notices);
    memset (entry, 0, sizeof *entry);
}

Mot__V1__Notice *
mot_logged_notice_decode (const mot_logged_notice_t *logged, const char **reason)
{
    Mot__V1__ErrorCode code = MOT__V1__ERROR_CODE__BAD_FRAMING;
    Mot__V1__Notice *notice = (Mot__V1__Notice *) mot_wire_unpack_bytes (logged->data, logged->size,
                                                                         &mot__v1__notice__descriptor, NOTICE_LIMIT,
                                                                         &code);
    *reason = NULL;
    if (!notice)
        *reason = mot_error_code_name (code);
    else
    if (!notice->text || !*notice->text)
        *reason = "no_text";
    else {
        const char *why = NULL;
        if (!mot_notice_text_is_publishable (notice, &why))
            *reason = why;
    }
    if (*reason && notice) {
        protobuf_c_message_free_unpacked (&notice->base, NULL);
        notice = NULL;
    }
    if (notice) {
        notice->has_seq = true;
        notice->seq = logged->seq;
    }
    return notice;
}

uint8_t *
mot_logged_notice_with_seq (const mot_logged_notice_t *notice, size_t *size)
{
    uint8_t *bytes = malloc (notice->size + 2 * VARINT_MAX);
    size_t seq = bytes ? put_field (bytes + notice->size, &notice_seq, notice->seq) : 0;
    if (!seq) {
        free (bytes);
        return NULL;
    }
    memcpy (bytes, notice->data, notice->size);
    *size = notice->size + seq;
    return bytes;
}

bool
mot_notice_log_seq (const redisReply *reply, uint64_t *value)
{
    if (reply && reply->type == REDIS_REPLY_INTEGER && reply->integer >= 0) {
        *value = (uint64_t) reply->integer;
        return true;
    }
    if (!reply || reply->type != REDIS_REPLY_STRING || reply->str[0] < '0' || reply->str[0] > '9')
        return false;
    char *end = NULL;
    *value = strtoull (reply->str, &end, 10);
    return *end == 0 || *end == '-';
}
