package activtrak

import (
	"net/url"
	"time"

	"github.com/activitysdk/activity-go/internal/core"
)

// MaxPageSize is the largest page the API serves; a PageSize of 0 asks for
// it. (The API's own default, when pageSize is not sent, is 150; this
// package always sends pageSize.)
const MaxPageSize = 1000

// dateLayout is the wire format of date parameters.
const dateLayout = "2006-01-02"

// WorkingHoursParams selects rows of the working-hours report. From and To
// are required; at most one of UserID, GroupID and ComputerID may be set.
type WorkingHoursParams struct {
	// From is the first day of the report (wire "from"). Only its calendar
	// date, in its own location, is sent: YYYY-MM-DD. Required.
	From time.Time
	// To is the last day, inclusive (wire "to"), sent like From. Required;
	// must not be before From.
	To time.Time
	// UserID limits the report to one user (wire "clientId"; "userId" under
	// WithEarlyAccess); 0 means not set, -1 asks explicitly for all users.
	// ListComputerWorkingHours refuses it in the public contract, which has
	// no clientId there.
	UserID int64
	// GroupID limits the report to one group (wire "groupId"); 0 means not set.
	GroupID int64
	// ComputerID limits the report to one computer (wire "deviceId";
	// "computerId" under WithEarlyAccess); 0 means not set.
	// ListUserWorkingHours refuses it in the public contract, which has no
	// deviceId there.
	ComputerID int64
	// PageSize is the number of rows per page (wire "pageSize"), 1 to 1000;
	// 0 means 1000.
	PageSize int
	// PageToken resumes a walk: a NextPageToken from an earlier page of the
	// same query (it is the page number, "" for the first page). A walk
	// resumed from a PageToken reads [From, To] as given and its pages carry
	// no Checkpoint. PageToken and Checkpoint are exclusive.
	PageToken string
	// Checkpoint continues the day-window feed: the Checkpoint of a page
	// from an earlier walk of the same operation (users or computers) on
	// the same host, with the same filter; "" starts at From. The walk
	// re-fetches from the first day the checkpoint has not delivered in full
	// (the first day that was not final when it was made; From if later)
	// to To, cut to the last final day, and drops the rows of that first day
	// it already delivered. Each row (one per user or computer and day) is
	// delivered once, when its day is final. A row that appears for a day
	// after that day was delivered (more than Lookback after the day ended)
	// is never delivered by a continuing walk. A checkpoint of another
	// operation or host, or a corrupt or oversized one, is a
	// *ValidationError on the first iteration, before any request.
	Checkpoint string
	// Lookback is how long after a day ends (midnight UTC) its rows are
	// taken as final and delivered; 0 means DefaultWorkingHoursLookback (24
	// hours). A row that arrives later than that is not delivered.
	Lookback time.Duration
}

// ActivityLogParams selects activity-log records. Everything is optional; at
// most one of UserID, GroupID and ComputerID may be set.
type ActivityLogParams struct {
	// StartDate is the first day (wire "startDate", sent as YYYY-MM-DD of the
	// value's own calendar date). The zero value leaves it to the API, which
	// starts today. Once a walk carries a cursor (PageToken), StartDate no
	// longer bounds the results: records that arrived late for earlier days
	// are returned too.
	StartDate time.Time
	// EndDate is the last day, inclusive (wire "endDate"); zero means no end,
	// so a walk reaches all data available so far. Must not be before
	// StartDate.
	EndDate time.Time
	// UserID limits the log to one user (wire "clientId"; "userId" under
	// WithEarlyAccess); 0 means not set, -1 asks explicitly for all users.
	UserID int64
	// GroupID limits the log to one group (wire "groupId"); 0 means not set.
	GroupID int64
	// ComputerID limits the log to one computer (wire "deviceId";
	// "computerId" under WithEarlyAccess); 0 means not set.
	ComputerID int64
	// MinDuration keeps records that lasted at least this long, inclusive
	// (wire "minDuration", in whole seconds); 0 means not set. It must be a
	// whole number of seconds and not negative. Public contract only:
	// WithEarlyAccess refuses it.
	MinDuration time.Duration
	// MaxDuration keeps records that lasted at most this long, inclusive
	// (wire "maxDuration", whole seconds); 0 means not set (so "exactly zero
	// seconds" cannot be asked for). Same rules as MinDuration, and it must
	// not be less than MinDuration when both are set.
	MaxDuration time.Duration
	// PageSize is the number of records per page (wire "pageSize"), 1 to
	// 1000; 0 means 1000.
	PageSize int
	// PageToken is the API's cursor (wire "cursor"): a NextPageToken from an
	// earlier page, "" to start from StartDate. The last NextPageToken of a
	// walk is the position to store: resuming from it returns only records
	// received after it, late arrivals for earlier days included. PageToken
	// and Checkpoint are exclusive.
	PageToken string
	// Checkpoint continues the feed: the Checkpoint of a page from an
	// earlier ListActivityLog or FollowActivityLog on the same host (the two
	// continue each other's); "" starts from StartDate. It holds the API's
	// cursor, a high-water mark of arrival: the walk asks from it, so it
	// yields every record the API received since, whatever the record's
	// time, and drops by LogID the most recent 1,024 records the checkpoint
	// remembers, should the API send them again. A checkpoint of another
	// host, or a corrupt or oversized one, is a *ValidationError on the
	// first iteration, before any request.
	Checkpoint string
	// Lookback is not needed by the activity log: its cursor already
	// returns late records of any age (a record is never too late). It
	// must not be negative; other values are accepted and have no effect.
	Lookback time.Duration
}

// validatePageSize resolves PageSize (0 -> MaxPageSize).
func validatePageSize(params string, n int) (int, error) {
	switch {
	case n == 0:
		return MaxPageSize, nil
	case n < 0 || n > MaxPageSize:
		return 0, core.Invalid("activtrak", params, "PageSize", "must be between 1 and %d, or 0 for %d (got %d)", MaxPageSize, MaxPageSize, n)
	}
	return n, nil
}

// endpoint is one of the three reports, for the filters it takes.
type endpoint int

const (
	userHours endpoint = iota
	computerHours
	activityLog
)

// filterQuery is the one-of filter on the wire, under the selected
// contract's names: public clientId, groupId, deviceId; early-access userId,
// groupId, computerId. 0 is not sent.
type filterQuery struct {
	ClientID   int64 `url:"clientId,omitempty"`
	UserID     int64 `url:"userId,omitempty"`
	GroupID    int64 `url:"groupId,omitempty"`
	DeviceID   int64 `url:"deviceId,omitempty"`
	ComputerID int64 `url:"computerId,omitempty"`
}

// workingHoursQuery is a working-hours query without its page.
type workingHoursQuery struct {
	filterQuery
	From     string `url:"from"`
	To       string `url:"to"`
	PageSize int    `url:"pageSize"`
}

// activityLogQuery is an activity-log query without its cursor.
type activityLogQuery struct {
	filterQuery
	MinDuration int64  `url:"minDuration,omitempty"` // whole seconds
	MaxDuration int64  `url:"maxDuration,omitempty"`
	StartDate   string `url:"startDate,omitempty"`
	EndDate     string `url:"endDate,omitempty"`
	PageSize    int    `url:"pageSize"`
}

// filter validates the one-of rule and returns the chosen filter under its
// wire name in the selected contract (working hours by user takes no
// deviceId, by computer no clientId).
func filter(params string, ea bool, ep endpoint, userID, groupID, computerID int64) (filterQuery, error) {
	set := 0
	for _, f := range []struct {
		name   string
		v, min int64
	}{
		{"UserID", userID, -1},
		{"GroupID", groupID, 1},
		{"ComputerID", computerID, 1},
	} {
		if f.v == 0 {
			continue
		}
		if f.v < f.min {
			if f.min == -1 {
				return filterQuery{}, core.Invalid("activtrak", params, f.name, "must be a positive id, or -1 for all users (got %d)", f.v)
			}
			return filterQuery{}, core.Invalid("activtrak", params, f.name, "must be a positive id (got %d)", f.v)
		}
		set++
	}
	if set > 1 {
		return filterQuery{}, core.Invalid("activtrak", params, "", "set at most one of UserID, GroupID, ComputerID (got %d)", set)
	}
	if !ea && ep == userHours && computerID != 0 {
		return filterQuery{}, core.Invalid("activtrak", params, "ComputerID", "is not a filter of ListUserWorkingHours (the public contract has no deviceId there); use ListComputerWorkingHours")
	}
	if !ea && ep == computerHours && userID != 0 {
		return filterQuery{}, core.Invalid("activtrak", params, "UserID", "is not a filter of ListComputerWorkingHours (the public contract has no clientId there); use ListUserWorkingHours")
	}
	if ea {
		return filterQuery{UserID: userID, GroupID: groupID, ComputerID: computerID}, nil
	}
	return filterQuery{ClientID: userID, GroupID: groupID, DeviceID: computerID}, nil
}

// durations validates MinDuration and MaxDuration and returns them in whole
// seconds (0: not sent).
func durations(params string, ea bool, lo, hi time.Duration) (int64, int64, error) {
	for _, d := range []struct {
		name string
		v    time.Duration
	}{{"MinDuration", lo}, {"MaxDuration", hi}} {
		switch {
		case d.v == 0:
			continue
		case d.v < 0:
			return 0, 0, core.Invalid("activtrak", params, d.name, "must not be negative (got %s)", d.v)
		case d.v%time.Second != 0:
			return 0, 0, core.Invalid("activtrak", params, d.name, "must be whole seconds, the API's unit (got %s)", d.v)
		case ea:
			return 0, 0, core.Invalid("activtrak", params, d.name, "is not a filter of the early-access contract (WithEarlyAccess)")
		}
	}
	if lo != 0 && hi != 0 && lo > hi {
		return 0, 0, core.Invalid("activtrak", params, "MaxDuration", "must not be less than MinDuration (%s < %s)", hi, lo)
	}
	return int64(lo / time.Second), int64(hi / time.Second), nil
}

// checkYear reports a date whose calendar year (in its own location, as it
// is sent) is outside 1..9999: YYYY-MM-DD cannot carry it.
func checkYear(params, name string, t time.Time) error {
	if y := t.Year(); y < 1 || y > 9999 {
		return core.Invalid("activtrak", params, name, "year must be between 1 and 9999 (got %d)", y)
	}
	return nil
}

// checkOrder reports a To (or EndDate) whose calendar date is before From's.
func checkOrder(params, fromName, toName string, from, to time.Time) error {
	f, t := from.Format(dateLayout), to.Format(dateLayout)
	if t < f {
		return core.Invalid("activtrak", params, toName, "must not be before %s (%s is before %s)", fromName, t, f)
	}
	return nil
}

// pageAndFilter validates what both reports' params share: the page size
// (resolved) and the one-of filter.
func pageAndFilter(params string, pageSize int, ea bool, ep endpoint, userID, groupID, computerID int64) (int, filterQuery, error) {
	size, err := validatePageSize(params, pageSize)
	if err != nil {
		return 0, filterQuery{}, err
	}
	f, err := filter(params, ea, ep, userID, groupID, computerID)
	return size, f, err
}

// query validates p and returns its query (without page) and page size.
func (p *WorkingHoursParams) query(ea bool, ep endpoint) (url.Values, int, error) {
	const name = "WorkingHoursParams"
	if p == nil {
		return nil, 0, core.Invalid("activtrak", name, "", "params are required: set From and To")
	}
	if p.From.IsZero() {
		return nil, 0, core.Invalid("activtrak", name, "From", "is required (the first day of the report)")
	}
	if p.To.IsZero() {
		return nil, 0, core.Invalid("activtrak", name, "To", "is required (the last day of the report, inclusive)")
	}
	if err := checkYear(name, "From", p.From); err != nil {
		return nil, 0, err
	}
	if err := checkYear(name, "To", p.To); err != nil {
		return nil, 0, err
	}
	if err := checkOrder(name, "From", "To", p.From, p.To); err != nil {
		return nil, 0, err
	}
	size, f, err := pageAndFilter(name, p.PageSize, ea, ep, p.UserID, p.GroupID, p.ComputerID)
	if err != nil {
		return nil, 0, err
	}
	q, err := core.Query(workingHoursQuery{filterQuery: f, From: p.From.Format(dateLayout), To: p.To.Format(dateLayout), PageSize: size})
	return q, size, err
}

// query validates p (nil means defaults) and returns its query (without
// cursor) and page size. name is the params name used in errors.
func (p *ActivityLogParams) query(ea bool) (url.Values, int, error) {
	const name = "ActivityLogParams"
	if p == nil {
		p = &ActivityLogParams{}
	}
	if !p.StartDate.IsZero() {
		if err := checkYear(name, "StartDate", p.StartDate); err != nil {
			return nil, 0, err
		}
	}
	if !p.EndDate.IsZero() {
		if err := checkYear(name, "EndDate", p.EndDate); err != nil {
			return nil, 0, err
		}
	}
	if !p.StartDate.IsZero() && !p.EndDate.IsZero() {
		if err := checkOrder(name, "StartDate", "EndDate", p.StartDate, p.EndDate); err != nil {
			return nil, 0, err
		}
	}
	size, f, err := pageAndFilter(name, p.PageSize, ea, activityLog, p.UserID, p.GroupID, p.ComputerID)
	if err != nil {
		return nil, 0, err
	}
	lo, hi, err := durations(name, ea, p.MinDuration, p.MaxDuration)
	if err != nil {
		return nil, 0, err
	}
	w := activityLogQuery{filterQuery: f, MinDuration: lo, MaxDuration: hi, PageSize: size}
	if !p.StartDate.IsZero() {
		w.StartDate = p.StartDate.Format(dateLayout)
	}
	if !p.EndDate.IsZero() {
		w.EndDate = p.EndDate.Format(dateLayout)
	}
	q, err := core.Query(w)
	return q, size, err
}
