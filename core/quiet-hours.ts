/**
 * Quiet hours: a workspace's daily local window in which drillbot sends no
 * DMs; what falls due inside it waits until the window ends.
 */

/** A daily window [start, end) in `zone`, "HH:MM" 24-hour; it crosses midnight when end <= start (e.g. 22:00-07:00). */
export interface QuietHours {
  start: string;
  end: string;
  zone: string;
}
