/* stats_keeper.h: the server's rollup of the monthly figures, on a thread and a connection of its own */
#ifndef DOMAIN_STATS_KEEPER_H
#define DOMAIN_STATS_KEEPER_H

#include <stddef.h>

struct stats_keeper;

/*
 * Opens its own connection to the database at path and starts the thread,
 * which rolls up the previous and the current month at once and then every
 * every_sec seconds, and once a day after 09:00 China time reminds the
 * members gone quiet (quiet_remind) (docs/stats.md). NULL with err filled if the database
 * cannot be opened.
 */
struct stats_keeper *stats_keeper_start(const char *path, int every_sec, char *err, size_t errlen);
/* Lets a rollup under way finish, stops the thread, closes its connection and frees k. NULL is fine. */
void stats_keeper_stop(struct stats_keeper *k);

#endif
