/*-------------------------------------------------------------------------
 *
 * admin.h
 *		Functions that change the capacity settings.
 *
 *-------------------------------------------------------------------------
 */
#ifndef AS_ADMIN_H
#define AS_ADMIN_H

extern void as_admin_install_callbacks(void);

#endif							/* AS_ADMIN_H */
