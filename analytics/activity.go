package analytics

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"

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
// Bad ids or params give a *ValidationError before any request is sent. A
// non-2xx answer gives an *APIError (errors.Is works with ErrNotFound for an
// unknown client or user, ErrForbidden, ErrUnauthorized); if any window fails,
// nothing is returned but that error.
func (c *Client) GetUserActivity(ctx context.Context, clientID, userID string, params *UserActivityParams) (*ActivityTimeSeries, error) {
	const op = "GetUserActivity"
	if !validUUID(clientID) {
		return nil, core.Invalid("analytics", op, "clientID", "must be a UUID like aa7cf840-9ca9-46a3-9778-9015d6580d50 (got %q)", clientID)
	}
	if !validUUID(userID) {
		return nil, core.Invalid("analytics", op, "userID", "must be a UUID like a1d97031-04e2-4907-a249-093f7436207b (got %q)", userID)
	}
	r, err := params.validate()
	if err != nil {
		return nil, err
	}
	windows, err := split(r)
	if err != nil {
		return nil, err
	}
	path := core.Path("clients", clientID, "analytics", "users", userID, "activity")
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
	if len(windows) > 1 {
		if err := series.checkOrder(); err != nil {
			return nil, err
		}
	}
	return series, nil
}

// fetchWindow requests one window of at most MaxRangeDays dates.
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

// checkOrder verifies that a stitched series has every date once, in order.
// The windows do not overlap, so a date that does not come after the one
// before means a server answered outside the range it was asked for: that is
// an error, not something to paper over.
func (s *ActivityTimeSeries) checkOrder() error {
	for i := 1; i < len(s.Data); i++ {
		if prev, cur := s.Data[i-1].Date, s.Data[i].Date; !cur.After(prev) {
			return fmt.Errorf("analytics: stitching %s..%s: data point %s follows %s; the answers overlap or are out of order",
				formatDate(s.Period.Start), formatDate(s.Period.End), formatDate(cur), formatDate(prev))
		}
	}
	return nil
}

// activityWire is the query of GetUserActivity; every parameter is always
// sent.
type activityWire struct {
	Granularity string `url:"granularity"`
	StartDate   string `url:"start_date"`
	EndDate     string `url:"end_date"`
	Metric      string `url:"metric"`
}
