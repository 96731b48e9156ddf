/*  mot_sentinel — asking Redis Sentinel where the master is.
 *
 *  Owns: the first two steps of Redis's guidelines for Sentinel clients:
 *  try the sentinels in turn (a short time-out each), ask each
 *  `SENTINEL get-master-addr-by-name MASTER`, and move the first that
 *  answers to the head of the list so that it is asked first next time. A
 *  sentinel that cannot be reached, refuses, or does not know the master
 *  is logged (sentinel_unusable) and the next one asked. The third step,
 *  checking with ROLE that the address given is a master, is mot_redis's
 *  (it needs the connection). Sentinels sit behind ACL like Redis: each
 *  service authenticates to them as its own user with its own password,
 *  allowed there only to ask that question (deploy/redis/sentinel.acl).
 */
#ifndef MOT_SENTINEL_H_INCLUDED
#define MOT_SENTINEL_H_INCLUDED

#include "mot_redis_address.h"
#include <stdbool.h>

/* How long one sentinel may take to connect or to answer. */
#define MOT_SENTINEL_TIMEOUT_MS 1000

/* The master's address as the first sentinel that knows it says (*host
 * malloc'd, the caller frees it); false when none does. `user` NULL: no
 * AUTH. */
bool mot_sentinel_ask_master (mot_redis_address_t *address, const char *user, const char *password, char **host,
                              int *port);

#endif
