/*  dashboard_event — an event's page (/evento?id=ev-N): the evidence
 *  behind an item, linked from the item's trail.
 *
 *  Owns: what an event shows. Its outcome (event_status: type, unit,
 *  applied or refused and why, the item it went to, linked), and of a
 *  complaint, a media note or a finding the fields a DOE analyst weighs, by
 *  an allow-list (EVIDENCE below): territory, reason, theme or topic, the
 *  dates, the operating unit, the headline, outlet and reach, the unit's
 *  own scores, the meeting. Never a free-text description nor anything of
 *  the insured person (intake clears the person before storing; the
 *  description of a complaint may still name someone). An id that is not
 *  "ev-<number>" is 400, an unknown event 404; so is, for an account
 *  limited to units, an event neither sent by one of them nor about an
 *  item it sees (an item's page links every event in its trail).
 */
#include "dashboard_pages.h"
#include "event_status.h"
#include "mot_schema.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The fields of an evidence body that may be shown, with their labels. */
static const char *const EVIDENCE[][2] = {
    {"territory", "Territorio"}, {"reason", "Motivo"}, {"theme", "Tema"}, {"topic", "Tema"},
    {"received_on", "Recibida el"}, {"published_on", "Publicada el"}, {"found_on", "Detectado el"},
    {"operating_unit", "Unidad operativa"}, {"headline", "Titular"}, {"outlet", "Medio"}, {"reach", "Alcance"},
    {"impact", "Impacto (de la unidad)"}, {"frequency", "Frecuencia (de la unidad)"},
    {"probability", "Probabilidad (de la unidad)"}, {"meeting", "Reunión"}, {NULL, NULL}};

static bool
is_event_id (const char *id)
{
    if (!id || strncmp (id, "ev-", 3) != 0 || !id[3] || strlen (id) > 24)
        return false;
    for (const char *c = id + 3; *c; c++)
        if (*c < '0' || *c > '9')
            return false;
    return true;
}

static const char *
label_of (const char *field)
{
    for (size_t i = 0; EVIDENCE[i][0]; i++)
        if (strcmp (EVIDENCE[i][0], field) == 0)
            return EVIDENCE[i][1];
    return NULL;
}

/* One allowed field of the body, when present. */
static void
write_field (html_t *html, const ProtobufCMessage *body, const ProtobufCFieldDescriptor *field)
{
    const char *label = label_of (field->name);
    const char *base = (const char *) body;
    char number[16];
    const char *value = NULL;
    if (!label || field->label == PROTOBUF_C_LABEL_REPEATED)
        return;
    if (field->type == PROTOBUF_C_TYPE_STRING)
        value = *(char *const *) (base + field->offset);
    else
    if (field->type == PROTOBUF_C_TYPE_UINT32 && *(const protobuf_c_boolean *) (base + field->quantifier_offset)) {
        snprintf (number, sizeof number, "%u", *(const uint32_t *) (base + field->offset));
        value = number;
    }
    if (!value || !*value)
        return;
    html_printf (html, "<tr data-field=\"%s\"><th>%s</th><td>", field->name, label);
    html_text (html, value);
    html_raw (html, "</td></tr>\n");
}

/* The evidence fields of the stored envelope (a complaint, media note or
 * finding; nothing for other bodies). */
static void
write_evidence (html_t *html, const redisReply *envelope)
{
    Mot__V1__Envelope *message = envelope && envelope->type == REDIS_REPLY_STRING
        ? mot__v1__envelope__unpack (NULL, envelope->len, (const uint8_t *) envelope->str) : NULL;
    const ProtobufCFieldDescriptor *field = message ? protobuf_c_message_descriptor_get_field (
        &mot__v1__envelope__descriptor, (unsigned) message->body_case) : NULL;
    const ProtobufCMessage *body = field && field->type == PROTOBUF_C_TYPE_MESSAGE
        ? *(ProtobufCMessage *const *) ((const char *) message + field->offset) : NULL;
    bool evidence = body && (message->body_case == MOT__V1__ENVELOPE__BODY_QUEJA
                             || message->body_case == MOT__V1__ENVELOPE__BODY_MEDIA
                             || message->body_case == MOT__V1__ENVELOPE__BODY_FINDING
                             || message->body_case == MOT__V1__ENVELOPE__BODY_RISK);
    if (evidence) {
        html_raw (html, "<h2>Evidencia</h2><div class=\"scroll\"><table id=\"evidence\"><tbody>\n");
        if (message->external_id) {
            html_raw (html, "<tr data-field=\"external_id\"><th>Folio de origen</th><td>");
            html_text (html, message->external_id);
            html_raw (html, "</td></tr>\n");
        }
        for (unsigned i = 0; i < body->descriptor->n_fields; i++)
            write_field (html, body, &body->descriptor->fields[i]);
        html_raw (html, "</tbody></table></div>\n");
    }
    if (message)
        mot__v1__envelope__free_unpacked (message, NULL);
}

/* The outcome (event_status's JSON) as a table, the item linked. */
static void
write_outcome (html_t *html, json_t *status)
{
    static const char *const rows[][2] = {{"type", "Tipo"}, {"source", "Unidad"}, {"status", "Estado"},
                                          {"refusal", "Rechazo"}, {"reason", "Motivo del rechazo"},
                                          {"pending_at", "Pendiente en"}, {NULL, NULL}};
    char buffer[32];
    html_raw (html, "<div class=\"scroll\"><table id=\"outcome\"><tbody>\n");
    for (size_t i = 0; rows[i][0]; i++) {
        const char *value = dashboard_cell (status, rows[i][0], buffer, sizeof buffer);
        if (!*value)
            continue;
        html_printf (html, "<tr data-field=\"%s\"><th>%s</th><td>", rows[i][0], rows[i][1]);
        html_text (html, value);
        html_raw (html, "</td></tr>\n");
    }
    const char *item = dashboard_cell (status, "item_id", buffer, sizeof buffer);
    if (*item) {
        html_raw (html, "<tr data-field=\"item_id\"><th>Elemento</th><td>");
        html_link (html, "/item?id=", item, NULL);
        html_raw (html, "</td></tr>\n");
    }
    html_raw (html, "</tbody></table></div>\n");
}

/* Whether the account sees the event: sent by one of its units, or about
 * an item it sees. */
static bool
sees_event (const dashboard_context_t *context, json_t *status)
{
    char buffer[32];
    const char *item = dashboard_cell (status, "item_id", buffer, sizeof buffer);
    return dashboard_sees_units (context, json_string_value (json_object_get (status, "source")))
        || (*item && dashboard_sees_item (context, item));
}

void
dashboard_event_page (const dashboard_context_t *context, const http_request_t *request, http_response_t *response)
{
    const char *id = http_request_param (request, "id");
    if (!is_event_id (id)) {
        dashboard_send_error (context, response, 400, "Falta el identificador del evento o no es válido.");
        return;
    }
    Mot__V1__ErrorCode code = MOT__V1__ERROR_CODE__ERROR_UNSPECIFIED;
    size_t size = 0;
    char *text = event_status_json (context->redis, id, &size, &code);
    json_t *status = text ? json_loadb (text, size, 0, NULL) : NULL;
    free (text);
    if (status && !sees_event (context, status)) {
        json_decref (status);   /* as an unknown one */
        status = NULL;
        code = MOT__V1__ERROR_CODE__INVALID_VALUE;
    }
    if (!status) {
        bool unknown = code == MOT__V1__ERROR_CODE__INVALID_VALUE;
        dashboard_send_error (context, response, unknown ? 404 : 503,
                              unknown ? "No existe ese evento." : dashboard_refusal_text (code));
        return;
    }
    char *key = mot_key_event (id);
    redisReply *envelope = key ? mot_redis_command (context->redis, "HGET %s %s", key, MOT_EVENT_ENVELOPE) : NULL;
    free (key);
    html_t *html = html_new ();
    if (!html)
        response->status = 500;
    else {
        dashboard_page_begin (context, html, "Evento");
        html_raw (html, "<p id=\"event-id\">");
        html_text (html, id);
        html_raw (html, "</p>");
        write_outcome (html, status);
        write_evidence (html, mot_reply_ok (envelope) ? envelope : NULL);
        html_page_end (html);
        dashboard_send_page (response, html, 200);
    }
    html_destroy (&html);
    if (envelope)
        freeReplyObject (envelope);
    json_decref (status);
}
