// Package activtrak reads the ActivTrak Live Data API: the working-hours
// report (per user or per computer, paged by page number) and the activity
// log (paged by cursor, with a follow mode that tails it).
//
// Create a client with an API key (or set ACTIVTRAK_API_KEY) and, outside
// the US, the account's region:
//
//	c, err := activtrak.NewClient(activtrak.WithAPIKey(key), activtrak.WithRegion(activtrak.RegionEU))
//	if err != nil { ... }
//	rows := c.ListUserWorkingHours(ctx, &activtrak.WorkingHoursParams{From: from, To: to})
//	for row, err := range rows.All() {
//		if err != nil { ... }
//		fmt.Println(row.Date.Format(time.DateOnly), row.User, row.TotalTime)
//	}
//
// # Contracts
//
// ActivTrak documents two contracts. By default the client follows the
// current public one, ActivTrak's published OpenAPI document for the Reports
// API: the key in the "x-api-key" header; UserID sent as clientId and
// ComputerID as deviceId (the users report takes no deviceId and the
// computers report no clientId: setting one is a *ValidationError before
// sending); MinDuration/MaxDuration on the activity log; records stamped
// time, time_utc and time_zone. WithEarlyAccess selects the early-access
// contract for tenants still on it: "Authorization: Bearer <key>", filters
// userId and computerId, records stamped date. Records decode alike under
// both: ActivityLogEntry.Time is the record's instant in UTC from time_utc,
// else time, else date; WorkingHours.UserID and ComputerID read userId and
// computerId, or the early-access userid and computerid.
//
//	ea, err := activtrak.NewClient(activtrak.WithAPIKey(key), activtrak.WithEarlyAccess())
//
// # Activity log cursors
//
// The activity log's cursor is a high-water mark. A walk from StartDate
// ends when a page comes back empty, and the last page's NextPageToken is
// the position to store: a later request from it returns the records
// received since, including records for earlier days that arrived late.
// FollowActivityLog keeps polling from that position and yields each new
// page with its token, so a long-running reader can checkpoint:
//
//	params := &activtrak.ActivityLogParams{StartDate: start, PageToken: loadCheckpoint()}
//	for page, err := range c.FollowActivityLog(ctx, params, time.Minute) {
//		if err != nil { return err }
//		handle(page.Items)
//		saveCheckpoint(page.NextPageToken)
//	}
//
// # Timestamps
//
// The API sends date-times with or without an offset and with or without
// fractional seconds. They are decoded into time.Time; one without an offset
// is taken as UTC, and one that cannot be read becomes the zero time rather
// than failing its page. Date parameters are sent as YYYY-MM-DD, the
// calendar date of the time.Time as given.
//
// # Errors
//
// Bad parameters are a *ValidationError before any request. An answer
// other than 2xx is an *APIError (errors.Is works with ErrUnauthorized,
// ErrForbidden, ErrNotFound and ErrRateLimited); no answer at all is a
// *RequestError. 429 and 5xx answers and dropped connections are retried
// under the RetryPolicy first.
//
// Package activtraktest is a fake of the API for tests and offline use.
package activtrak
