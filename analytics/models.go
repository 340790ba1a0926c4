package analytics

import (
	"encoding/json"
	"fmt"
	"time"
)

// ActivityTimeSeries is a user's activity over a date range, one data point
// per granularity period. Dates are calendar dates in the client
// organisation's configured time zone, represented as midnight UTC: read them
// with Date() or Format("2006-01-02"), not as instants.
//
// It marshals back to the API's JSON shape, dates as "YYYY-MM-DD".
type ActivityTimeSeries struct {
	// Metric is the measure reported ("metric"), e.g. MetricActivityCount.
	Metric Metric `json:"metric"`
	// Label is the metric's display name ("label"), e.g. "Total Activity".
	Label string `json:"label"`
	// Period is the date range the series covers ("period"). For a range
	// fetched in several requests it runs from the first answer's start to
	// the last answer's end.
	Period Period `json:"period"`
	// Data holds the data points ("data"), oldest first, each date once. The
	// API includes every period of the range, days with no activity as 0.
	Data []DataPoint `json:"data"`
}

// Period is a date range, both ends included.
type Period struct {
	// Start is the first date ("start"), midnight UTC.
	Start time.Time
	// End is the last date, included ("end"), midnight UTC.
	End time.Time
}

// DataPoint is one period's value.
type DataPoint struct {
	// Date is the date the point is reported under ("date"), midnight UTC.
	// For daily series it is the day itself; for weekly, monthly and
	// quarterly series it is the date the API reports the period under (the
	// analyticstest fake uses the first date of the period inside the range).
	Date time.Time
	// Value is the metric's total for the period ("value"); for
	// MetricActivityCount a count of activity events, 0 on days without
	// activity.
	Value float64
}

type wirePeriod struct {
	Start string `json:"start"`
	End   string `json:"end"`
}

type wirePoint struct {
	Date  string  `json:"date"`
	Value float64 `json:"value"`
}

// UnmarshalJSON reads {"start": "YYYY-MM-DD", "end": "YYYY-MM-DD"}.
func (p *Period) UnmarshalJSON(b []byte) error { return decodeDated(b, p, wirePeriod.model) }

// MarshalJSON writes {"start": "YYYY-MM-DD", "end": "YYYY-MM-DD"}; a zero
// date is written as "".
func (p Period) MarshalJSON() ([]byte, error) {
	return json.Marshal(wirePeriod{Start: jsonDate(p.Start), End: jsonDate(p.End)})
}

// UnmarshalJSON reads {"date": "YYYY-MM-DD", "value": N}.
func (d *DataPoint) UnmarshalJSON(b []byte) error { return decodeDated(b, d, wirePoint.model) }

// MarshalJSON writes {"date": "YYYY-MM-DD", "value": N}.
func (d DataPoint) MarshalJSON() ([]byte, error) {
	return json.Marshal(wirePoint{Date: jsonDate(d.Date), Value: d.Value})
}

// decodeDated decodes b into the wire form W of a model M and sets *dst to
// model(w), which parses W's dates. On any error *dst is left as it was.
func decodeDated[W, M any](b []byte, dst *M, model func(W) (M, error)) error {
	var w W
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	m, err := model(w)
	if err != nil {
		return err
	}
	*dst = m
	return nil
}

func (w wirePeriod) model() (Period, error) {
	start, err := parseDate("period.start", w.Start)
	if err != nil {
		return Period{}, err
	}
	end, err := parseDate("period.end", w.End)
	return Period{Start: start, End: end}, err
}

func (w wirePoint) model() (DataPoint, error) {
	date, err := parseDate("data.date", w.Date)
	return DataPoint{Date: date, Value: w.Value}, err
}

// parseDate reads a wire date. "YYYY-MM-DD" is the documented form; a full
// RFC 3339 timestamp is accepted too and its calendar date, as written, is
// kept. "" gives the zero time.
func parseDate(field, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(dateLayout, s); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return civilDate(t), nil
	}
	return time.Time{}, fmt.Errorf("analytics: %s: %q is not a YYYY-MM-DD date", field, s)
}

func jsonDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return formatDate(t)
}
