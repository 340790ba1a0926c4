package analytics

import (
	"time"

	"github.com/activitysdk/activity-go/internal/core"
)

// Granularity is how the time series is aggregated, sent as the
// "granularity" query parameter.
type Granularity string

// The granularities the API documents. Weeks start on Monday (ISO 8601),
// months and quarters are calendar months and quarters (Q1 = January to
// March).
const (
	// GranularityDaily gives one data point per calendar date. It is the
	// default.
	GranularityDaily Granularity = "daily"
	// GranularityWeekly gives one data point per week, Monday to Sunday.
	GranularityWeekly Granularity = "weekly"
	// GranularityMonthly gives one data point per calendar month.
	GranularityMonthly Granularity = "monthly"
	// GranularityQuarterly gives one data point per calendar quarter.
	GranularityQuarterly Granularity = "quarterly"
)

func (g Granularity) valid() bool {
	switch g {
	case GranularityDaily, GranularityWeekly, GranularityMonthly, GranularityQuarterly:
		return true
	}
	return false
}

// Metric names the measure a time series reports, sent as the "metric" query
// parameter and echoed in ActivityTimeSeries.Metric. It is an alias of string,
// as the design's contract has UserActivityParams.Metric and
// ActivityTimeSeries.Metric: code may assign a plain string, and the
// constants below name the values the API documents.
type Metric = string

// The metrics the API documents.
const (
	// MetricActivityCount ("Total Activity") is the sum of all activity
	// events across every source (Chrome, Edge, Firefox, desktop, web
	// accessibility) and device. It is the default.
	MetricActivityCount Metric = "activity-count"
)

// MaxRangeDays is the most calendar dates, both ends included, that the API
// serves in one request. GetUserActivity splits longer ranges into windows of
// at most MaxRangeDays dates.
const MaxRangeDays = 90

// UserActivityParams selects the series GetUserActivity returns. A nil
// *UserActivityParams is the zero value, which is rejected because StartDate
// and EndDate are required.
type UserActivityParams struct {
	// Granularity is the aggregation period ("granularity"). Empty means
	// GranularityDaily; the parameter is always sent.
	Granularity Granularity
	// StartDate is the first date of the range ("start_date", YYYY-MM-DD).
	// Only the calendar date of the value, in the value's own location, is
	// used: the API reads it in the client organisation's configured time
	// zone. Required.
	StartDate time.Time
	// EndDate is the last date of the range, included ("end_date",
	// YYYY-MM-DD), read like StartDate. Required, not before StartDate.
	// Ranges of more than MaxRangeDays dates are fetched in several requests
	// (see GetUserActivity).
	EndDate time.Time
	// Metric is the measure to retrieve ("metric"). Empty means
	// MetricActivityCount; the parameter is always sent. Metrics the API does
	// not document are rejected before any request.
	Metric Metric
}

const paramsName = "UserActivityParams"

// request is a validated UserActivityParams: dates reduced to calendar
// dates (UTC midnight), defaults filled in.
type request struct {
	granularity Granularity
	start, end  time.Time
	metric      Metric
}

func invalid(field, format string, args ...any) *ValidationError {
	return (*ValidationError)(core.Invalid("analytics", paramsName, field, format, args...))
}

// validate checks p and fills in the defaults.
func (p *UserActivityParams) validate() (request, error) {
	var zero UserActivityParams
	if p == nil {
		p = &zero
	}
	r := request{granularity: p.Granularity, metric: p.Metric}
	if r.granularity == "" {
		r.granularity = GranularityDaily
	}
	if !r.granularity.valid() {
		return r, invalid("Granularity", "must be one of daily, weekly, monthly, quarterly (got %q)", string(p.Granularity))
	}
	if r.metric == "" {
		r.metric = MetricActivityCount
	}
	if r.metric != MetricActivityCount {
		return r, invalid("Metric", "unknown metric %q: the API documents only %q", string(p.Metric), string(MetricActivityCount))
	}
	if p.StartDate.IsZero() {
		return r, invalid("StartDate", "is required")
	}
	if p.EndDate.IsZero() {
		return r, invalid("EndDate", "is required")
	}
	r.start, r.end = civilDate(p.StartDate), civilDate(p.EndDate)
	if r.end.Before(r.start) {
		return r, invalid("EndDate", "%s is before StartDate %s", formatDate(r.end), formatDate(r.start))
	}
	if y := r.start.Year(); y < 1 || y > 9999 {
		return r, invalid("StartDate", "year %d is outside 1..9999", y)
	}
	if y := r.end.Year(); y > 9999 {
		return r, invalid("EndDate", "year %d is outside 1..9999", y)
	}
	return r, nil
}

// civilDate returns t's calendar date, in t's own location, as UTC midnight.
func civilDate(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

const dateLayout = "2006-01-02"

func formatDate(t time.Time) string { return t.Format(dateLayout) }

// validUUID reports whether s is a UUID in its canonical textual form,
// 8-4-4-4-12 hexadecimal digits (either case), as the API's path parameters
// require.
func validUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
				return false
			}
		}
	}
	return true
}
