package analytics

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/activitysdk/activity-go/internal/core"
)

// GetUserActivity returns the activity time series of one user of one client
// organisation: GET /clients/{client_id}/analytics/users/{user_id}/activity.
// clientID and userID must be UUIDs; params selects the granularity, the
// date range and the metric (see UserActivityParams). Every period of the
// range is present, days without activity as 0.
//
// The API serves at most MaxRangeDays dates per request. A longer range is
// fetched as consecutive windows, one request each, sent one after the other,
// whose boundaries fall on the granularity's period boundaries (Mondays for
// weekly, the first of a month or quarter), so every period comes whole from
// one answer; the answers are stitched into one series, every date once and in
// order, whose Period runs from the first answer's start to the last answer's
// end. A one-year daily range takes five requests. A quarterly range longer
// than MaxRangeDays that contains a quarter of more than MaxRangeDays days
// (every quarter but a non-leap year's first) cannot be split so and is
// rejected.
//
// The series holds no date outside the requested range: a data point whose
// period lies wholly before StartDate or after EndDate (a server answering
// more than it was asked for) is dropped, and logged at warning level. A
// point inside the range that repeats a period or comes out of order fails
// the call with a *SeriesError, since which value is right cannot be known.
//
// Bad ids or params give a *ValidationError before any request is sent. A
// non-2xx answer gives an *APIError (errors.Is works with ErrNotFound for an
// unknown client or user, ErrForbidden, ErrUnauthorized); if any window fails,
// nothing is returned but that error.
func (c *Client) GetUserActivity(ctx context.Context, clientID, userID string, params *UserActivityParams) (*ActivityTimeSeries, error) {
	return c.getActivity(ctx, "GetUserActivity", clientID, "userID", userID, params.series())
}

// GetDeviceActivity returns the activity time series of one device of one
// client organisation: GET /clients/{client_id}/analytics/devices/{device_id}/activity.
// clientID and deviceID must be UUIDs. The metric is MetricActivityCount
// (activity events on the device, the default) or MetricUserCount (distinct
// users active on it per day); values are counts.
//
// No range limit is documented for this endpoint, so the range is sent in one
// request, whatever its length; a server that refuses it answers a 400
// *APIError, unchanged. The series holds no date outside the requested range
// (see GetUserActivity for the rule). Bad ids or params give a
// *ValidationError before any request.
func (c *Client) GetDeviceActivity(ctx context.Context, clientID, deviceID string, params *DeviceActivityParams) (*ActivityTimeSeries, error) {
	return c.getActivity(ctx, "GetDeviceActivity", clientID, "deviceID", deviceID, params.series())
}

// GetAppActivity returns the usage time series of one app of one client
// organisation: GET /clients/{client_id}/analytics/apps/{app_id}/activity.
// clientID and appID must be UUIDs. The metric is MetricActiveTime (the
// default: MILLISECONDS of active time summed over the app's users),
// MetricSessionCount (sessions, summed over users) or MetricUserCount
// (distinct users per day). App data comes from daily per-user usage reports
// grouped by activity date, not from the heartbeats behind user and device
// activity, so totals need not agree with those.
//
// No range limit is documented for this endpoint, so the range is sent in one
// request; a server that refuses it answers a 400 *APIError, unchanged. The
// series holds no date outside the requested range (see GetUserActivity).
// Bad ids or params give a *ValidationError before any request.
func (c *Client) GetAppActivity(ctx context.Context, clientID, appID string, params *AppActivityParams) (*ActivityTimeSeries, error) {
	return c.getActivity(ctx, "GetAppActivity", clientID, "appID", appID, params.series())
}

// getActivity serves the three activity endpoints,
// GET /clients/{clientID}/analytics/{p.kind}/{id}/activity: it checks the
// ids (idName names the second, for errors) and then p, both before any
// request, and fetches the series.
func (c *Client) getActivity(ctx context.Context, op, clientID, idName, id string, p seriesParams) (*ActivityTimeSeries, error) {
	if err := checkIDs(op, "clientID", clientID, idName, id); err != nil {
		return nil, err
	}
	r, err := p.validate()
	if err != nil {
		return nil, err
	}
	return c.getSeries(ctx, core.Path("clients", clientID, "analytics", p.kind, id, "activity"), r)
}

// exampleIDs are the documentation's example ids, shown in errors.
var exampleIDs = map[string]string{
	"clientID": "aa7cf840-9ca9-46a3-9778-9015d6580d50",
	"userID":   "a1d97031-04e2-4907-a249-093f7436207b",
}

// checkIDs checks name/value pairs of path ids: each must be a UUID.
func checkIDs(op string, pairs ...string) error {
	for i := 0; i+1 < len(pairs); i += 2 {
		if !validUUID(pairs[i+1]) {
			ex := exampleIDs[pairs[i]]
			if ex == "" {
				ex = "a1d97031-04e2-4907-a249-093f7436207b"
			}
			return core.Invalid("analytics", op, pairs[i], "must be a UUID like %s (got %q)", ex, pairs[i+1])
		}
	}
	return nil
}

// getSeries fetches r's range from path, in windows when r.maxDays asks for
// it, and returns the stitched series holding only the range's periods.
func (c *Client) getSeries(ctx context.Context, path string, r request) (*ActivityTimeSeries, error) {
	windows, err := split(r)
	if err != nil {
		return nil, err
	}
	var series *ActivityTimeSeries
	for i, w := range windows {
		if len(windows) > 1 {
			c.core.Logger().LogAttrs(ctx, slog.LevelDebug, "analytics: fetching window",
				slog.Int("window", i+1), slog.Int("windows", len(windows)),
				slog.String("start_date", formatDate(w.start)), slog.String("end_date", formatDate(w.end)))
		}
		part, err := c.fetchWindow(ctx, path, r, w)
		if err != nil {
			return nil, err
		}
		if series == nil {
			series = part
			continue
		}
		series.appendWindow(part)
	}
	if dropped := series.trim(r); len(dropped) > 0 {
		c.core.Logger().LogAttrs(ctx, slog.LevelWarn, "analytics: dropped data points outside the requested range",
			slog.String("start_date", formatDate(r.start)), slog.String("end_date", formatDate(r.end)),
			slog.Any("dates", dropped))
	}
	if err := series.checkOrder(r); err != nil {
		return nil, err
	}
	return series, nil
}

// fetchWindow requests one window of the range.
func (c *Client) fetchWindow(ctx context.Context, path string, r request, w window) (*ActivityTimeSeries, error) {
	q, err := core.Query(activityWire{Granularity: string(r.granularity), StartDate: formatDate(w.start),
		EndDate: formatDate(w.end), Metric: string(r.metric)})
	if err != nil {
		return nil, err
	}
	var out ActivityTimeSeries
	if _, err := c.core.DoJSON(ctx, &core.Request{Method: http.MethodGet, Path: path, Query: q}, &out); err != nil {
		return nil, err
	}
	if out.Period.Start.IsZero() {
		out.Period.Start = w.start
	}
	if out.Period.End.IsZero() {
		out.Period.End = w.end
	}
	if out.Data == nil {
		out.Data = []DataPoint{}
	}
	return &out, nil
}

// appendWindow stitches the next window's answer onto s.
func (s *ActivityTimeSeries) appendWindow(next *ActivityTimeSeries) {
	s.Data = append(s.Data, next.Data...)
	s.Period.End = next.Period.End
}

// trim drops the data points whose granularity period does not meet r's
// range (dated before the period holding r.start, or after r.end) and
// returns their dates. A weekly, monthly or quarterly point dated at its
// period's calendar start, before r.start, is kept: its period meets the
// range.
func (s *ActivityTimeSeries) trim(r request) []string {
	var dropped []string
	first := periodStartOf(r.granularity, r.start)
	kept := s.Data[:0]
	for _, p := range s.Data {
		if p.Date.Before(first) || p.Date.After(r.end) {
			dropped = append(dropped, formatDate(p.Date))
			continue
		}
		kept = append(kept, p)
	}
	clear(s.Data[len(kept):])
	s.Data = kept
	return dropped
}

// checkOrder verifies that the series has each period once, in order. The
// windows do not overlap, so a point whose period does not come after the one
// before means a server answered outside the window it was asked for (or out
// of order): that is an error, not something to paper over.
func (s *ActivityTimeSeries) checkOrder(r request) error {
	for i := 1; i < len(s.Data); i++ {
		prev, cur := s.Data[i-1].Date, s.Data[i].Date
		if !periodStartOf(r.granularity, cur).After(periodStartOf(r.granularity, prev)) {
			return &SeriesError{Start: r.start, End: r.end, Date: cur, Previous: prev}
		}
	}
	return nil
}

// periodStartOf returns the first date of the granularity period holding d.
func periodStartOf(g Granularity, d time.Time) time.Time {
	switch g {
	case GranularityWeekly:
		return d.AddDate(0, 0, -((int(d.Weekday()) + 6) % 7))
	case GranularityMonthly:
		return time.Date(d.Year(), d.Month(), 1, 0, 0, 0, 0, time.UTC)
	case GranularityQuarterly:
		return time.Date(d.Year(), (d.Month()-1)/3*3+1, 1, 0, 0, 0, 0, time.UTC)
	}
	return d
}

// SeriesError reports a time series whose answers cannot be stitched into one
// point per period: a data point inside the requested range repeats the
// period of the one before it or comes before it. Nothing is returned with it.
type SeriesError struct {
	// Start and End are the requested range, midnight UTC.
	Start, End time.Time
	// Date is the offending point's date; Previous the date of the point
	// before it.
	Date, Previous time.Time
}

// Error names the range and the two points, on one line.
func (e *SeriesError) Error() string {
	return fmt.Sprintf("analytics: stitching %s..%s: data point %s follows %s; the answers overlap or are out of order",
		formatDate(e.Start), formatDate(e.End), formatDate(e.Date), formatDate(e.Previous))
}

// activityWire is the query of the activity endpoints; every parameter is
// always sent.
type activityWire struct {
	Granularity string `url:"granularity"`
	StartDate   string `url:"start_date"`
	EndDate     string `url:"end_date"`
	Metric      string `url:"metric"`
}
