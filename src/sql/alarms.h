/*-------------------------------------------------------------------------
 *
 * alarms.h
 *		CloudWatch metric alarms over the recorded samples.
 *
 *-------------------------------------------------------------------------
 */
#ifndef AS_ALARMS_H
#define AS_ALARMS_H

#include "datatype/timestamp.h"

/* Alarms one instance keeps. */
#define AS_MAX_ALARMS			64
#define AS_ALARM_NAME_CHARS		63	/* characters, not bytes */
#define AS_ALARM_NAME_LEN		(AS_ALARM_NAME_CHARS * 4 + 1)
#define AS_ALARM_REASON_LEN		256

/* Alarm state changes waiting for the notifier. */
#define AS_NOTIFY_QUEUE			32

typedef enum AsComparison
{
	AS_CMP_GE = 0,				/* GreaterThanOrEqualToThreshold */
	AS_CMP_GT,					/* GreaterThanThreshold */
	AS_CMP_LT,					/* LessThanThreshold */
	AS_CMP_LE					/* LessThanOrEqualToThreshold */
} AsComparison;

typedef enum AsAlarmState
{
	AS_ALARM_INSUFFICIENT_DATA = 0,
	AS_ALARM_OK,
	AS_ALARM_ALARM
} AsAlarmState;

/* One alarm, as put-metric-alarm defines it, and its state. */
typedef struct AsAlarm
{
	bool		used;
	char		name[AS_ALARM_NAME_LEN];
	uint8		metric;			/* AsMetricId */
	uint8		statistic;		/* AsStatistic */
	uint8		comparison;		/* AsComparison */
	uint8		state;			/* AsAlarmState */
	int32		period;			/* seconds */
	int32		evaluation_periods;
	double		threshold;
	char		reason[AS_ALARM_REASON_LEN];
	TimestampTz state_updated;
	TimestampTz evaluated_to;	/* end of the last period evaluated */
} AsAlarm;

/*
 * A state change for the notifier: the alarm as it changed, and the state
 * it left.  The notifier makes the JSON payload of it, never cut.
 */
typedef struct AsNotification
{
	AsAlarm		alarm;
	uint8		old_state;		/* AsAlarmState */
	TimestampTz changed_at;
} AsNotification;

extern void as_alarms_install_callbacks(void);
extern void as_alarms_evaluate(TimestampTz now);
extern void as_alarms_start_notifier(void);
extern PGDLLEXPORT void as_notifier_main(Datum main_arg);

#endif							/* AS_ALARMS_H */
