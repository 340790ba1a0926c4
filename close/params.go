package close

import (
	"net/http"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/activitysdk/activity-go/internal/core"
)

// ReportType is the kind of activity report (wire "type").
type ReportType string

// The report types.
const (
	// ReportOverview gives the organization's metrics per time period: one
	// row per bucket (the server chooses the bucket size), keyed by Datetime.
	ReportOverview ReportType = "overview"
	// ReportComparison gives the metrics per user: one row per user, keyed
	// by UserID.
	ReportComparison ReportType = "comparison"
)

// RelativeRange is a time range relative to now, as Close computes it (wire
// "relative_range").
type RelativeRange string

// The relative ranges Close accepts.
const (
	RangeToday       RelativeRange = "today"
	RangeThisWeek    RelativeRange = "this-week"
	RangeThisMonth   RelativeRange = "this-month"
	RangeThisQuarter RelativeRange = "this-quarter"
	RangeThisYear    RelativeRange = "this-year"
	RangeYesterday   RelativeRange = "yesterday"
	RangeLastWeek    RelativeRange = "last-week"
	RangeLastMonth   RelativeRange = "last-month"
	RangeLastQuarter RelativeRange = "last-quarter"
	RangeLastYear    RelativeRange = "last-year"
	RangeAllTime     RelativeRange = "all-time"
)

// RelativeRanges lists every RelativeRange Close accepts, in the order of
// Close's documentation.
func RelativeRanges() []RelativeRange {
	return []RelativeRange{RangeToday, RangeThisWeek, RangeThisMonth, RangeThisQuarter, RangeThisYear,
		RangeYesterday, RangeLastWeek, RangeLastMonth, RangeLastQuarter, RangeLastYear, RangeAllTime}
}

// DatetimeRange is an absolute time range (wire "datetime_range"). Both ends
// are required and Start must be before End. They are sent in RFC 3339 with
// the offset of the values as given, so the zone of Start is the zone Close
// sees (in UTC when that offset has seconds, which RFC 3339 cannot write).
type DatetimeRange struct {
	// Start is the beginning of the range (wire "start").
	Start time.Time
	// End is the end of the range (wire "end").
	End time.Time
}

// SavedSearchPrefix is how Close's saved search ids begin ("save_...").
const SavedSearchPrefix = "save_"

// ActivityReportParams are the parameters of GetActivityReport and
// GetActivityReportCSV. Type, Metrics and exactly one of DatetimeRange and
// RelativeRange are required; everything is checked before a request is
// sent.
type ActivityReportParams struct {
	// Type is ReportOverview or ReportComparison (wire "type"). Required.
	Type ReportType
	// Metrics are the metric keys to compute (wire "metrics"), such as
	// "calls.outbound.all.count"; see ListActivityMetrics. At least one is
	// required; each must be non-empty, without spaces, and listed once.
	Metrics []string
	// DatetimeRange is an absolute range (wire "datetime_range"). Set it or
	// RelativeRange, not both.
	DatetimeRange *DatetimeRange
	// RelativeRange is a range relative to now (wire "relative_range"). Set
	// it or DatetimeRange, not both.
	RelativeRange RelativeRange
	// SavedSearchID limits the report to the leads of a saved search. It is
	// sent as the query {"type": "saved_search", "saved_search_id": ...},
	// the only query type Close has. Optional; when set it must be a saved
	// search id: "save_" followed by letters, digits or underscores.
	SavedSearchID string
	// Users limits the report to these user ids (wire "users"). Optional;
	// empty means every user. Each must be non-empty and without spaces.
	Users []string
	// TZOffset, when non-nil, is sent as the X-TZ-Offset header of this
	// report's request instead of the client's WithTZOffset value: the UTC
	// offset in hours east of UTC (-5, 5.5) in which Close resolves
	// RelativeRange and the day buckets. The same rules apply: finite and
	// within ±14 hours. nil uses the client's setting (none unless
	// WithTZOffset was given).
	TZOffset *float64
}

const paramsName = "ActivityReportParams"

func invalid(field, format string, args ...any) *core.ValidationError {
	return core.Invalid("close", paramsName, field, format, args...)
}

// validate checks p before anything is sent.
func (p *ActivityReportParams) validate() error {
	if p == nil {
		return invalid("", "params are required: set Type, Metrics and DatetimeRange or RelativeRange")
	}
	switch p.Type {
	case ReportOverview, ReportComparison:
	case "":
		return invalid("Type", "is required: ReportOverview or ReportComparison")
	default:
		return invalid("Type", "must be %q or %q (got %q)", ReportOverview, ReportComparison, p.Type)
	}
	if len(p.Metrics) == 0 {
		return invalid("Metrics", "at least one metric is required (see ListActivityMetrics)")
	}
	seen := make(map[string]int, len(p.Metrics))
	for i, m := range p.Metrics {
		if err := checkItem("Metrics", i, m); err != nil {
			return err
		}
		if j, dup := seen[m]; dup {
			return invalid("Metrics", "%q is listed twice (items %d and %d)", m, j, i)
		}
		seen[m] = i
	}
	switch {
	case p.DatetimeRange != nil && p.RelativeRange != "":
		return invalid("DatetimeRange", "set exactly one of DatetimeRange and RelativeRange (both are set)")
	case p.DatetimeRange == nil && p.RelativeRange == "":
		return invalid("DatetimeRange", "set exactly one of DatetimeRange and RelativeRange (neither is set)")
	case p.DatetimeRange != nil:
		r := p.DatetimeRange
		if r.Start.IsZero() {
			return invalid("DatetimeRange.Start", "is required")
		}
		if r.End.IsZero() {
			return invalid("DatetimeRange.End", "is required")
		}
		if !r.Start.Before(r.End) {
			return invalid("DatetimeRange.End", "must be after Start (got Start %s, End %s)",
				r.Start.Format(time.RFC3339), r.End.Format(time.RFC3339))
		}
		if y := r.Start.Year(); y < 1 || y > 9999 {
			return invalid("DatetimeRange.Start", "year must be between 0001 and 9999 (got %d)", y)
		}
		if y := r.End.Year(); y < 1 || y > 9999 {
			return invalid("DatetimeRange.End", "year must be between 0001 and 9999 (got %d)", y)
		}
	default:
		if !knownRange(p.RelativeRange) {
			return invalid("RelativeRange", "unknown relative range %q (use one of the Range... constants: today, this-week, ..., all-time)", p.RelativeRange)
		}
	}
	if p.SavedSearchID != "" {
		id := p.SavedSearchID
		rest, ok := strings.CutPrefix(id, SavedSearchPrefix)
		if !ok || rest == "" || !isIDChars(rest) {
			return invalid("SavedSearchID", "must be a saved search id: %q followed by letters, digits or underscores (got %q)", SavedSearchPrefix, id)
		}
	}
	if p.TZOffset != nil {
		if _, err := formatTZOffset(*p.TZOffset); err != nil {
			return invalid("TZOffset", "%s", err.Error())
		}
	}
	for i, u := range p.Users {
		if err := checkItem("Users", i, u); err != nil {
			return err
		}
	}
	return nil
}

// checkItem checks item i of the list field (Metrics, Users): a non-empty
// word of valid UTF-8 without spaces or control characters.
func checkItem(field string, i int, s string) error {
	switch {
	case s == "":
		return invalid(field, "item %d is empty", i)
	case hasSpaceOrControl(s):
		return invalid(field, "item %d (%q) must not contain spaces or control characters", i, s)
	case !utf8.ValidString(s):
		return invalid(field, "item %d (%q) is not valid UTF-8", i, s)
	}
	return nil
}

func knownRange(r RelativeRange) bool {
	for _, k := range RelativeRanges() {
		if r == k {
			return true
		}
	}
	return false
}

func hasSpaceOrControl(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0
}

func isIDChars(s string) bool {
	for _, r := range s {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// header adds the X-TZ-Offset override of a validated p to h (which may be
// nil) and returns it.
func (p *ActivityReportParams) header(h http.Header) http.Header {
	if p.TZOffset == nil {
		return h
	}
	v, _ := formatTZOffset(*p.TZOffset)
	if h == nil {
		h = http.Header{}
	}
	h[tzHeader] = []string{v}
	return h
}

// reportBody is the wire form of ActivityReportParams.
type reportBody struct {
	Type          ReportType    `json:"type"`
	Metrics       []string      `json:"metrics"`
	DatetimeRange *wireRange    `json:"datetime_range,omitempty"`
	RelativeRange RelativeRange `json:"relative_range,omitempty"`
	Query         *savedSearchQ `json:"query,omitempty"`
	Users         []string      `json:"users,omitempty"`
}

type wireRange struct {
	Start string `json:"start"`
	End   string `json:"end"`
}

type savedSearchQ struct {
	Type          string `json:"type"`
	SavedSearchID string `json:"saved_search_id"`
}

// body builds the request body of a validated p.
func (p *ActivityReportParams) body() *reportBody {
	b := &reportBody{Type: p.Type, Metrics: append([]string(nil), p.Metrics...), RelativeRange: p.RelativeRange}
	if r := p.DatetimeRange; r != nil {
		b.DatetimeRange = &wireRange{Start: rfc3339(r.Start), End: rfc3339(r.End)}
	}
	if p.SavedSearchID != "" {
		b.Query = &savedSearchQ{Type: "saved_search", SavedSearchID: p.SavedSearchID}
	}
	if len(p.Users) > 0 {
		b.Users = append([]string(nil), p.Users...)
	}
	return b
}

// rfc3339 writes t with its own offset, or in UTC when the offset has
// seconds (local mean time zones before 1900): RFC 3339 offsets are whole
// minutes, and dropping the seconds would move the instant.
func rfc3339(t time.Time) string {
	if _, off := t.Zone(); off%60 != 0 {
		t = t.UTC()
	}
	return t.Format(time.RFC3339Nano)
}
