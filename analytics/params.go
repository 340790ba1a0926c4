package analytics

import (
	"fmt"
	"time"
	"unicode"
	"unicode/utf8"

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
//
// A metric is checked for form only (not empty after the default, valid
// UTF-8, no spaces or control characters), not against a closed list: a
// metric the API adds later works without a new SDK release, and one the
// endpoint does not know is the server's 400 (an *APIError).
type Metric = string

// The metrics the API documents, by endpoint.
const (
	// MetricActivityCount ("Total Activity") counts activity events. For a
	// user (GetUserActivity) it is the sum of all activity events across
	// every source (Chrome, Edge, Firefox, desktop, web accessibility) and
	// device; for a device (GetDeviceActivity) the activity events recorded
	// on it. Unit: events per period. The default of both endpoints.
	MetricActivityCount Metric = "activity-count"
	// MetricUserCount ("Daily Users") is the number of distinct users active
	// on the device (GetDeviceActivity) or in the app (GetAppActivity) per
	// day. Unit: users; for weekly, monthly and quarterly series the value
	// the API reports for the period.
	MetricUserCount Metric = "user-count"
	// MetricActiveTime ("Active Time") is the time spent in the app
	// (GetAppActivity), summed over its users. Unit: MILLISECONDS (divide by
	// 3.6e6 for hours); values reach the billions, exact in a float64 up to
	// 2^53 ms. The default of GetAppActivity.
	MetricActiveTime Metric = "active-time"
	// MetricSessionCount ("Sessions") is the number of app sessions
	// (GetAppActivity), summed over its users. Unit: sessions.
	MetricSessionCount Metric = "session-count"
)

// MaxRangeDays is the most calendar dates, both ends included, that the user
// activity endpoint serves in one request (its documented limit).
// GetUserActivity splits longer ranges into windows of at most MaxRangeDays
// dates. No limit is documented for device and app activity: those ranges are
// sent whole, and a server that refuses one answers a 400 *APIError.
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
	// MetricActivityCount; the parameter is always sent. Checked for form
	// only (see Metric).
	Metric Metric
}

// DeviceActivityParams selects the series GetDeviceActivity returns. A nil
// *DeviceActivityParams is rejected: StartDate and EndDate are required.
type DeviceActivityParams struct {
	// Granularity is the aggregation period ("granularity"). Empty means
	// GranularityDaily; the parameter is always sent.
	Granularity Granularity
	// StartDate is the first date of the range ("start_date", YYYY-MM-DD),
	// its calendar date as given. Required.
	StartDate time.Time
	// EndDate is the last date of the range, included ("end_date"), read
	// like StartDate. Required, not before StartDate. No range limit is
	// documented for devices: the range is sent in one request.
	EndDate time.Time
	// Metric is the measure ("metric"): MetricActivityCount (the default
	// when empty) or MetricUserCount. Checked for form only (see Metric).
	Metric Metric
}

// AppActivityParams selects the series GetAppActivity returns. A nil
// *AppActivityParams is rejected: StartDate and EndDate are required.
type AppActivityParams struct {
	// Granularity is the aggregation period ("granularity"). Empty means
	// GranularityDaily; the parameter is always sent.
	Granularity Granularity
	// StartDate is the first date of the range ("start_date", YYYY-MM-DD),
	// its calendar date as given. App data is grouped by activity date.
	// Required.
	StartDate time.Time
	// EndDate is the last date of the range, included ("end_date"), read
	// like StartDate. Required, not before StartDate. No range limit is
	// documented for apps: the range is sent in one request.
	EndDate time.Time
	// Metric is the measure ("metric"): MetricActiveTime (milliseconds; the
	// default when empty), MetricSessionCount or MetricUserCount. Checked for
	// form only (see Metric).
	Metric Metric
}

// request is a validated series params struct: dates reduced to calendar
// dates (UTC midnight), defaults filled in.
type request struct {
	granularity Granularity
	start, end  time.Time
	metric      Metric
	// maxDays is the endpoint's documented range limit; 0 means none.
	maxDays int
	// params names the params struct, for errors.
	params string
}

func invalid(params, field, format string, args ...any) *ValidationError {
	return (*ValidationError)(core.Invalid("analytics", params, field, format, args...))
}

// seriesParams is what the three time-series params structs share, with
// what their endpoints differ in.
type seriesParams struct {
	name          string // the params struct, for errors
	granularity   Granularity
	start, end    time.Time
	metric        Metric
	defaultMetric Metric
	// kind is the path segment naming what the series is of ("users").
	kind string
	// maxDays is the endpoint's documented range limit; 0 means none.
	maxDays int
}

func (p *UserActivityParams) series() seriesParams {
	if p == nil {
		p = &UserActivityParams{}
	}
	return seriesParams{"UserActivityParams", p.Granularity, p.StartDate, p.EndDate, p.Metric, MetricActivityCount, "users", MaxRangeDays}
}

func (p *DeviceActivityParams) series() seriesParams {
	if p == nil {
		p = &DeviceActivityParams{}
	}
	return seriesParams{"DeviceActivityParams", p.Granularity, p.StartDate, p.EndDate, p.Metric, MetricActivityCount, "devices", 0}
}

func (p *AppActivityParams) series() seriesParams {
	if p == nil {
		p = &AppActivityParams{}
	}
	return seriesParams{"AppActivityParams", p.Granularity, p.StartDate, p.EndDate, p.Metric, MetricActiveTime, "apps", 0}
}

// validate checks p and fills in the defaults.
func (p seriesParams) validate() (request, error) {
	r := request{granularity: p.granularity, metric: p.metric, maxDays: p.maxDays, params: p.name}
	if r.granularity == "" {
		r.granularity = GranularityDaily
	}
	if !r.granularity.valid() {
		return r, invalid(p.name, "Granularity", "must be one of daily, weekly, monthly, quarterly (got %q)", string(p.granularity))
	}
	if r.metric == "" {
		r.metric = p.defaultMetric
	}
	if err := checkMetric(r.metric); err != "" {
		return r, invalid(p.name, "Metric", "%s (got %q)", err, r.metric)
	}
	var err error
	if r.start, r.end, err = checkRange(p.name, "StartDate", "EndDate", p.start, p.end, true); err != nil {
		return r, err
	}
	return r, nil
}

// maxMetricLen bounds a metric name; the documented ones have 13 bytes.
const maxMetricLen = 100

// checkMetric checks a metric's form: valid UTF-8, no spaces or control
// characters, at most maxMetricLen bytes. It returns the problem, "" if none.
func checkMetric(m string) string {
	if len(m) > maxMetricLen {
		return fmt.Sprintf("must be at most %d bytes", maxMetricLen)
	}
	if !utf8.ValidString(m) {
		return "must be valid UTF-8"
	}
	for _, r := range m {
		if unicode.IsSpace(r) || unicode.IsControl(r) {
			return "must not hold spaces or control characters; use a name like \"activity-count\""
		}
	}
	return ""
}

// checkRange validates a date range (both required when required is set;
// both or neither otherwise) and returns it as calendar dates.
func checkRange(params, startField, endField string, start, end time.Time, required bool) (time.Time, time.Time, error) {
	if !required && start.IsZero() && end.IsZero() {
		return time.Time{}, time.Time{}, nil
	}
	if start.IsZero() {
		if !required {
			return start, end, invalid(params, startField, "is required when %s is set: give both or neither", endField)
		}
		return start, end, invalid(params, startField, "is required")
	}
	if end.IsZero() {
		if !required {
			return start, end, invalid(params, endField, "is required when %s is set: give both or neither", startField)
		}
		return start, end, invalid(params, endField, "is required")
	}
	s, e := civilDate(start), civilDate(end)
	if e.Before(s) {
		return s, e, invalid(params, endField, "%s is before %s %s", formatDate(e), startField, formatDate(s))
	}
	if y := s.Year(); y < 1 || y > 9999 {
		return s, e, invalid(params, startField, "year %d is outside 1..9999", y)
	}
	if y := e.Year(); y > 9999 {
		return s, e, invalid(params, endField, "year %d is outside 1..9999", y)
	}
	return s, e, nil
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

// utf8ValidNoControl reports whether s is valid UTF-8 without control
// characters.
func utf8ValidNoControl(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return false
		}
	}
	return true
}
