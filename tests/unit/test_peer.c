/*  test_peer — unit tests for mot_peer's rules: what a certificate's
 *  metadata lets its holder do (issue #12; roles and lists as motctl cert
 *  writes them). The peers are written by hand, as zauth would hand them
 *  over; mot_peer_of itself is exercised end to end (test_authorisation).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "mot_peer.h"

static mot_peer_t
certified (const char *role, const char *units, const char *registers, const char *topics)
{
    return (mot_peer_t){.certified = true, .name = "x", .role = role, .units = units,
                        .registers = registers, .topics = topics};
}

static void
test_upstream_publishes_as_its_units_only (void **state)
{
    (void) state;
    mot_peer_t siq = certified ("upstream", "UAD", "", "");
    assert_true (mot_peer_may_publish_as (&siq, "UAD"));
    assert_false (mot_peer_may_publish_as (&siq, "UCS"));
    assert_false (mot_peer_may_publish_as (&siq, "UA"));        /* a prefix of a unit is not the unit */
    assert_false (mot_peer_may_command_for (&siq, "UAD"));      /* no analyst command */
    mot_peer_t two = certified ("upstream", "UCS,CV", "", "");
    assert_true (mot_peer_may_publish_as (&two, "CV"));
    assert_true (mot_peer_may_publish_as (&two, "UCS"));
    assert_false (mot_peer_may_publish_as (&two, "UEOD"));
}

static void
test_analyst_acts_for_its_units (void **state)
{
    (void) state;
    mot_peer_t dpm = certified ("analyst", "UEOD,CAPSOI", "", "");
    assert_true (mot_peer_may_command_for (&dpm, "UEOD"));
    assert_true (mot_peer_may_command_for (&dpm, "CAPSOI"));
    assert_false (mot_peer_may_command_for (&dpm, "UAD"));
    assert_true (mot_peer_may_publish_as (&dpm, "CAPSOI"));     /* deliveries of its units */
    assert_false (mot_peer_may_publish_as (&dpm, "UAD"));
    mot_peer_t all = certified ("analyst", "*", "", "");
    assert_true (mot_peer_may_command_for (&all, "CA"));
    assert_false (mot_peer_is_service (&all));
}

static void
test_viewers_and_subscribers_send_nothing (void **state)
{
    (void) state;
    mot_peer_t viewer = certified ("viewer", "*", "mupoi", "");
    mot_peer_t subscriber = certified ("subscriber", "*", "", "*");
    assert_false (mot_peer_may_publish_as (&viewer, "UAD"));
    assert_false (mot_peer_may_command_for (&viewer, "UAD"));
    assert_false (mot_peer_may_publish_as (&subscriber, "UAD"));
    assert_false (mot_peer_may_command_for (&subscriber, "UAD"));
}

static void
test_registers_are_listed_or_star (void **state)
{
    (void) state;
    mot_peer_t viewer = certified ("viewer", "", "mupoi,maps", "");
    assert_true (mot_peer_may_read (&viewer, "mupoi"));
    assert_true (mot_peer_may_read (&viewer, "maps"));
    assert_false (mot_peer_may_read (&viewer, "muro"));
    assert_false (mot_peer_may_read (&viewer, "mup"));
    mot_peer_t none = certified ("viewer", "", "", "");
    assert_false (mot_peer_may_read (&none, "mupoi"));
    mot_peer_t all = certified ("viewer", "", "*", "");
    assert_true (mot_peer_may_read (&all, "audit"));
    mot_peer_t items = certified ("viewer", "", "items", "");      /* every item: both registers */
    assert_true (mot_peer_may_read (&items, "mupoi"));
    assert_true (mot_peer_may_read (&items, "muro"));
    assert_false (mot_peer_may_read (&items, "audit"));
    mot_peer_t broken = certified ("viewer", "", "mupoi,,muro", "");  /* not a list: nothing */
    assert_false (mot_peer_may_read (&broken, "mupoi"));
}

static void
test_topics_are_prefixes (void **state)
{
    (void) state;
    mot_peer_t tdoe = certified ("subscriber", "", "", "report/TDOE,escalation/");
    assert_true (mot_peer_may_follow (&tdoe, "report/TDOE/CAPSOI/comportamiento-mensual"));
    assert_true (mot_peer_may_follow (&tdoe, "escalation/UAD"));
    assert_false (mot_peer_may_follow (&tdoe, "report/"));      /* broader than allowed */
    assert_false (mot_peer_may_follow (&tdoe, "overdue/UAD"));
    assert_false (mot_peer_may_follow (&tdoe, ""));             /* everything needs * */
    mot_peer_t all = certified ("subscriber", "", "", "*");
    assert_true (mot_peer_may_follow (&all, ""));
}

static void
test_services_and_no_curve_may_do_everything (void **state)
{
    (void) state;
    mot_peer_t service = certified ("service", "", "", "");
    mot_peer_t plain = {.certified = false, .name = "", .role = "", .units = "", .registers = "", .topics = ""};
    for (int i = 0; i < 2; i++) {
        const mot_peer_t *peer = i ? &plain : &service;
        assert_true (mot_peer_is_service (peer));
        assert_true (mot_peer_may_publish_as (peer, "UAD"));
        assert_true (mot_peer_may_command_for (peer, "UEOD"));
        assert_true (mot_peer_may_read (peer, "audit"));
        assert_true (mot_peer_may_follow (peer, ""));
    }
    mot_peer_t unknown_role = certified ("root", "*", "*", "*");
    assert_false (mot_peer_may_publish_as (&unknown_role, "UAD"));
    assert_false (mot_peer_may_command_for (&unknown_role, "UAD"));
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_upstream_publishes_as_its_units_only),
        cmocka_unit_test (test_analyst_acts_for_its_units),
        cmocka_unit_test (test_viewers_and_subscribers_send_nothing),
        cmocka_unit_test (test_registers_are_listed_or_star),
        cmocka_unit_test (test_topics_are_prefixes),
        cmocka_unit_test (test_services_and_no_curve_may_do_everything),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
