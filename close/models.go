package close

import (
	"encoding/json"
	"sort"
	"time"
)

// ActivityReport is the decoded answer of GetActivityReport.
//
// Metric values are numbers as Close sends them: counts, durations in
// seconds, money in cents. A metric Close sends as null (an average over no
// activity, say) is absent from Values and Totals and listed in the row's
// Nulls, so a missing value is never mistaken for zero.
type ActivityReport struct {
	// Type is the report type that was requested.
	Type ReportType
	// Totals are the report's aggregations.totals, metric key to value; nil
	// when the answer has none (comparison answers may omit them).
	Totals map[string]float64
	// TotalNulls lists the totals sent as null, sorted.
	TotalNulls []string
	// Rows are the answer's data rows in the order sent: one per time bucket
	// for an overview report (Datetime set), one per user for a comparison
	// report (UserID set).
	Rows []ReportRow
	// Raw is the whole answer as sent, for fields this package does not
	// decode ("queries", the rest of "lookup").
	Raw json.RawMessage

	users map[string]string
}

// UserDisplayName returns the display name Close sent for a user id in the
// answer's lookup.user, or "" when the answer does not name it.
func (r *ActivityReport) UserDisplayName(userID string) string {
	if r == nil {
		return ""
	}
	return r.users[userID]
}

// UserIDs returns the user ids named in the answer's lookup.user, sorted.
func (r *ActivityReport) UserIDs() []string {
	if r == nil {
		return nil
	}
	ids := make([]string, 0, len(r.users))
	for id := range r.users {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// ReportRow is one row of an activity report.
type ReportRow struct {
	// Datetime is the start of the row's time bucket (overview reports; wire
	// "datetime"), zero in comparison reports. It keeps the offset Close
	// sent.
	Datetime time.Time
	// UserID is the row's user (comparison reports; wire "user_id"), empty in
	// overview reports.
	UserID string
	// Values maps each metric key to its number. Metrics sent as null are
	// absent (see Nulls).
	Values map[string]float64
	// Nulls lists the metric keys sent as null in this row, sorted; nil when
	// there are none.
	Nulls []string
	// Extra holds the row's other non-numeric members (strings, objects) as
	// sent; nil when there are none.
	Extra map[string]json.RawMessage
}

// Value returns the row's value for metric and whether it has one (false
// for a metric sent as null or not sent at all).
func (r ReportRow) Value(metric string) (float64, bool) {
	v, ok := r.Values[metric]
	return v, ok
}

// ActivityMetric is one entry of the activity metrics catalogue.
type ActivityMetric struct {
	// Key is the metric key used in ActivityReportParams.Metrics, such as
	// "calls.outbound.all.count".
	Key string
	// Label is the human-readable name, when the catalogue gives one.
	Label string
	// Description says what the metric counts, when the catalogue gives it.
	Description string
	// Raw is the catalogue entry as sent (a JSON string or object).
	Raw json.RawMessage
}
