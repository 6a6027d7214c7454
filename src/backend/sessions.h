/*-------------------------------------------------------------------------
 *
 * sessions.h
 *		Each backend's own slot: who it is, registered when it connects and
 *		cleared when it leaves.
 *
 *-------------------------------------------------------------------------
 */
#ifndef AS_SESSIONS_H
#define AS_SESSIONS_H

extern void as_sessions_install_hooks(void);

#endif							/* AS_SESSIONS_H */
