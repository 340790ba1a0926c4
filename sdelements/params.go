package sdelements

import (
	"net/url"
	"strings"
	"time"

	"github.com/activitysdk/activity-go/internal/core"
)

// DefaultPageSize is sent as page_size when ListActivitiesParams.PageSize is
// 0: the size SD Elements' own examples use. The API documents no maximum
// (the vendor's tooling asks for 10000 at once), so the SDK sets none: any
// positive PageSize is sent as given, and an instance that serves fewer per
// page is followed through its next links all the same.
const DefaultPageSize = 100

// ListActivitiesParams filters ListActivities. Every field is optional: the
// zero value (or a nil *ListActivitiesParams) lists every activity, newest
// first, DefaultPageSize per page. Filters combine with AND.
type ListActivitiesParams struct {
	// Actor keeps activities performed by the user with this id ("actor").
	// 0 means not set.
	Actor int64
	// User keeps activities that reference the user with this id ("user"),
	// not those the user performed (see Actor). 0 means not set.
	User int64
	// Application keeps activities that reference this application id
	// ("application"). 0 means not set.
	Application int64
	// BusinessUnit keeps activities that reference this business unit id
	// ("business_unit"). 0 means not set.
	BusinessUnit int64
	// Project keeps activities that reference this project id ("project").
	// 0 means not set.
	Project int64
	// ID keeps the activity with this id ("id"). 0 means not set.
	ID int64

	// ApplicationDesc keeps activities that reference the application with
	// this exact name ("application_desc"); it matches deleted applications
	// too. "" means not set.
	ApplicationDesc string
	// BusinessUnitDesc: the business unit's exact name ("business_unit_desc").
	BusinessUnitDesc string
	// ProjectDesc: the project's exact name ("project_desc").
	ProjectDesc string
	// Name keeps activities of this event type ("name"), such as
	// ActivityLoggedIn. "" means not set.
	Name string
	// Standard keeps activities that reference this standard, the API's term
	// for a library task ("standard"): "T" and a number for built-in ones
	// ("T21"), "CT" and a number for custom ones ("CT3"). "" means not set.
	Standard string
	// StandardDesc: the standard's full name ("standard_desc"), for example
	// "T21: Ensure confidential data is sent over an encrypted channel".
	StandardDesc string

	// DateFrom keeps activities at or after this instant ("date_from").
	// DateTo keeps those at or before it ("date_to"). The zero time means not
	// set. Both are sent in UTC with a "Z" (the API reads a date without a
	// zone as the server's local time) and with microseconds, the API's
	// precision: DateFrom is rounded up and DateTo down to the microsecond,
	// so no activity outside [DateFrom, DateTo] is returned.
	DateFrom, DateTo time.Time

	// PageSize is the number of activities per page ("page_size"): any
	// positive number is sent as given; 0 means DefaultPageSize; negative
	// is a *ValidationError. It is always sent (paging is opt-in at SD
	// Elements). An instance may serve fewer per page; the walk follows its
	// next links whatever the size.
	PageSize int

	// Include asks for fields not normally present ("include", sent as one
	// comma-separated list: include=a,b). Exclude removes fields ("exclude")
	// and Expand replaces an id with the full object ("expand", e.g.
	// "actor"). The API honours these per endpoint and documents none for
	// activities, so what an instance does with them is its own: fields it
	// adds land in Activity.Extra, and an expanded actor keeps its id in
	// Activity.Actor and its object in Activity.Extra["actor"]. Each name is
	// a field name (letters, digits, underscores; dots for nested fields),
	// listed once; a name in Exclude must not also be in Include or Expand.
	Include, Exclude, Expand []string
	// PageToken resumes a walk: a NextPageToken from an earlier walk (the
	// API's "next" link, on the same instance). "" starts at the beginning.
	// The token carries the filters and page size of the walk that produced
	// it, so the other fields do not change a resumed walk (they are still
	// validated). PageToken and Checkpoint are exclusive.
	PageToken string
	// Checkpoint continues the feed: the Checkpoint of a page from an
	// earlier ListActivities walk on the same instance, with the same
	// filters; "" starts at the beginning. SD Elements lists newest first
	// and numbers activities in the order it records them, so the walk
	// re-reads from date_from = the checkpoint's window start (the Lookback
	// before the newest date it saw, or DateFrom if later) and drops every
	// activity the checkpoint covers by id: after a complete walk, every id
	// up to the highest one seen; partway through a walk, the activities it
	// went past. It yields every activity recorded since, exactly once, late
	// ones included when their date is within the lookback. An activity
	// recorded later with a date earlier than that window is never delivered
	// by a continuing walk. The state stays a few numbers whatever the
	// number of activities. One race is not covered: an activity recorded
	// while a walk runs, dated after the walk's position, with an id lower
	// than another activity recorded during that walk and dated before its
	// position. A checkpoint of another instance or operation, or a corrupt
	// or oversized one, is a *ValidationError on the first iteration, before
	// any request.
	Checkpoint string
	// Lookback is how far before the newest activity seen a continuing walk
	// re-reads for late arrivals; 0 means DefaultLookback. The window never
	// moves back: a longer Lookback does not re-read what the window of an
	// earlier checkpoint let go.
	Lookback time.Duration
}

const paramsName = "ListActivitiesParams"

func invalid(field, format string, args ...any) *ValidationError {
	return (*ValidationError)(core.Invalid("sdelements", paramsName, field, format, args...))
}

// listQuery is the first page's query on the wire; zero ids and empty texts
// are not sent, page_size always is.
type listQuery struct {
	Actor            int64  `url:"actor,omitempty"`
	User             int64  `url:"user,omitempty"`
	Application      int64  `url:"application,omitempty"`
	BusinessUnit     int64  `url:"business_unit,omitempty"`
	Project          int64  `url:"project,omitempty"`
	ID               int64  `url:"id,omitempty"`
	ApplicationDesc  string `url:"application_desc,omitempty"`
	BusinessUnitDesc string `url:"business_unit_desc,omitempty"`
	ProjectDesc      string `url:"project_desc,omitempty"`
	Name             string `url:"name,omitempty"`
	Standard         string `url:"standard,omitempty"`
	StandardDesc     string `url:"standard_desc,omitempty"`
	DateFrom         string `url:"date_from,omitempty"`
	DateTo           string `url:"date_to,omitempty"`
	Include          string `url:"include,omitempty"` // comma-separated
	Expand           string `url:"expand,omitempty"`
	Exclude          string `url:"exclude,omitempty"`
	PageSize         int    `url:"page_size"`
}

// query validates p and returns the first page's query.
func (p *ListActivitiesParams) query() (url.Values, error) {
	for _, f := range []struct {
		field string
		v     int64
	}{
		{"Actor", p.Actor}, {"User", p.User}, {"Application", p.Application},
		{"BusinessUnit", p.BusinessUnit}, {"Project", p.Project}, {"ID", p.ID},
	} {
		if f.v < 0 {
			return nil, invalid(f.field, "must be a positive id, or 0 for not set (got %d)", f.v)
		}
	}
	if p.Standard != "" && !validStandard(p.Standard) {
		return nil, invalid("Standard", `must be "T" or "CT" followed by a number, like "T21" or "CT3" (got %q)`, p.Standard)
	}
	for _, f := range []struct{ field, v string }{
		{"ApplicationDesc", p.ApplicationDesc}, {"BusinessUnitDesc", p.BusinessUnitDesc},
		{"ProjectDesc", p.ProjectDesc}, {"Name", p.Name}, {"Standard", p.Standard}, {"StandardDesc", p.StandardDesc},
	} {
		if strings.ContainsRune(f.v, 0) {
			return nil, invalid(f.field, "must not contain NUL characters")
		}
	}
	for _, d := range []struct {
		field string
		t     time.Time
	}{{"DateFrom", p.DateFrom}, {"DateTo", p.DateTo}} {
		if !d.t.IsZero() && (d.t.UTC().Year() < 1 || d.t.UTC().Year() > 9999) {
			return nil, invalid(d.field, "year must be between 1 and 9999 in UTC (got %d)", d.t.UTC().Year())
		}
	}
	if !p.DateFrom.IsZero() && !p.DateTo.IsZero() && p.DateFrom.After(p.DateTo) {
		return nil, invalid("DateFrom", "must not be after DateTo (got %s > %s)",
			p.DateFrom.UTC().Format(time.RFC3339Nano), p.DateTo.UTC().Format(time.RFC3339Nano))
	}
	w := listQuery{Actor: p.Actor, User: p.User, Application: p.Application, BusinessUnit: p.BusinessUnit,
		Project: p.Project, ID: p.ID, ApplicationDesc: p.ApplicationDesc, BusinessUnitDesc: p.BusinessUnitDesc,
		ProjectDesc: p.ProjectDesc, Name: p.Name, Standard: p.Standard, StandardDesc: p.StandardDesc,
		PageSize: p.PageSize}
	if !p.DateFrom.IsZero() {
		w.DateFrom = formatDate(ceilMicro(p.DateFrom))
	}
	if !p.DateTo.IsZero() {
		w.DateTo = formatDate(p.DateTo.Truncate(time.Microsecond))
	}
	if err := p.fieldLists(); err != nil {
		return nil, err
	}
	w.Include, w.Expand, w.Exclude = strings.Join(p.Include, ","), strings.Join(p.Expand, ","), strings.Join(p.Exclude, ",")
	switch {
	case p.PageSize < 0:
		return nil, invalid("PageSize", "must be positive, or 0 for %d (got %d)", DefaultPageSize, p.PageSize)
	case p.PageSize == 0:
		w.PageSize = DefaultPageSize
	}
	return core.Query(w)
}

// fieldLists validates Include, Exclude and Expand (sent comma-separated).
func (p *ListActivitiesParams) fieldLists() error {
	lists := []struct {
		field string
		names []string
	}{{"Include", p.Include}, {"Expand", p.Expand}, {"Exclude", p.Exclude}}
	where := map[string]string{}
	for _, l := range lists {
		seen := map[string]bool{}
		for i, n := range l.names {
			if !validFieldName(n) {
				return invalid(l.field, "item %d (%q) must be a field name: letters, digits and underscores, with dots between nested names", i, n)
			}
			if seen[n] {
				return invalid(l.field, "%q is listed twice", n)
			}
			seen[n] = true
			if prev, ok := where[n]; ok && l.field == "Exclude" {
				return invalid(l.field, "%q is also in %s: a field cannot be excluded and included or expanded", n, prev)
			}
			if _, ok := where[n]; !ok {
				where[n] = l.field
			}
		}
	}
	return nil
}

// validFieldName reports whether s is a field name, or dotted names of
// nested fields: [A-Za-z_][A-Za-z0-9_]* joined by ".".
func validFieldName(s string) bool {
	if s == "" || len(s) > 200 {
		return false
	}
	for _, part := range strings.Split(s, ".") {
		if part == "" || part[0] >= '0' && part[0] <= '9' {
			return false
		}
		for i := 0; i < len(part); i++ {
			c := part[i]
			if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
				return false
			}
		}
	}
	return true
}

// validStandard reports whether s is "T<digits>" or "CT<digits>".
func validStandard(s string) bool {
	digits := strings.TrimPrefix(strings.TrimPrefix(s, "C"), "T")
	if len(digits) == 0 || len(digits) == len(s) || !strings.HasPrefix(strings.TrimPrefix(s, "C"), "T") {
		return false
	}
	for i := 0; i < len(digits); i++ {
		if digits[i] < '0' || digits[i] > '9' {
			return false
		}
	}
	return true
}

// dateLayout is RFC 3339 in UTC with up to six fractional digits (trailing
// zeros dropped) and a literal Z: the form the API reads as UTC.
const dateLayout = "2006-01-02T15:04:05.999999Z"

func formatDate(t time.Time) string { return t.UTC().Format(dateLayout) }

// ceilMicro rounds t up to the next whole microsecond.
func ceilMicro(t time.Time) time.Time {
	tr := t.Truncate(time.Microsecond)
	if tr.Before(t) {
		tr = tr.Add(time.Microsecond)
	}
	return tr
}
