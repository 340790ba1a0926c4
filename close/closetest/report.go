package closetest

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"math"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/activitysdk/activity-go/internal/fakeserver"
)

type reportRequest struct {
	Type          string          `json:"type"`
	Metrics       []string        `json:"metrics"`
	DatetimeRange json.RawMessage `json:"datetime_range"`
	RelativeRange *string         `json:"relative_range"`
	Query         *struct {
		Type          string `json:"type"`
		SavedSearchID string `json:"saved_search_id"`
	} `json:"query"`
	Users []string `json:"users"`
}

// badRequest answers 400 in Close's validation shape.
func badRequest(w http.ResponseWriter, errs []string, fields map[string]any) {
	if errs == nil {
		errs = []string{}
	}
	if fields == nil {
		fields = map[string]any{}
	}
	fakeserver.WriteJSON(w, http.StatusBadRequest, map[string]any{"errors": errs, "field-errors": fields})
}

// tzOffset reads the X-TZ-Offset header: hours east of UTC as a decimal
// number within ±14. It returns the zone the report's days are counted in
// (UTC without the header) and false for a malformed value.
func tzOffset(r *http.Request) (*time.Location, bool) {
	raw, sent := r.Header[http.CanonicalHeaderKey("X-TZ-Offset")]
	if !sent {
		return time.UTC, true
	}
	if len(raw) != 1 {
		return nil, false
	}
	h, err := strconv.ParseFloat(strings.TrimSpace(raw[0]), 64)
	if err != nil || math.IsNaN(h) || h < -14 || h > 14 {
		return nil, false
	}
	secs := int(math.Round(h * 3600))
	if secs == 0 {
		return time.UTC, true
	}
	return time.FixedZone(raw[0], secs), true
}

// wall shifts t by loc's offset, so that its UTC fields are loc's wall
// clock: day numbers of the result are loc's calendar days.
func wall(t time.Time, loc *time.Location) time.Time {
	_, off := t.In(loc).Zone()
	return t.UTC().Add(time.Duration(off) * time.Second)
}

func (s *Server) serveReport(w http.ResponseWriter, r *http.Request) {
	loc, ok := tzOffset(r)
	if !ok {
		writeError(w, r, http.StatusBadRequest, "", "Invalid X-TZ-Offset header: expected hours east of UTC between -14 and 14, like -5 or 5.5.")
		return
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
		writeError(w, r, http.StatusUnsupportedMediaType, "", "Unsupported media type \""+r.Header.Get("Content-Type")+"\" in request.")
		return
	}
	var req reportRequest
	dec := json.NewDecoder(r.Body)
	if err := dec.Decode(&req); err != nil {
		writeError(w, r, http.StatusBadRequest, "", "Invalid JSON: "+err.Error())
		return
	}
	fields := map[string]any{}
	switch req.Type {
	case "overview", "comparison":
	case "":
		fields["type"] = "This field is required."
	default:
		fields["type"] = "\"" + req.Type + "\" is not a valid choice."
	}
	metrics := make([]*Metric, 0, len(req.Metrics))
	if len(req.Metrics) == 0 {
		fields["metrics"] = "This field is required."
	}
	for _, k := range req.Metrics {
		m, ok := metricIndex[k]
		if !ok {
			fields["metrics"] = "Unknown metric: " + k
			break
		}
		metrics = append(metrics, m)
	}
	var days span
	hasDT := len(req.DatetimeRange) > 0 && string(req.DatetimeRange) != "null"
	switch {
	case hasDT && req.RelativeRange != nil:
		badRequest(w, []string{"Specify either datetime_range or relative_range, not both."}, fields)
		return
	case !hasDT && req.RelativeRange == nil:
		badRequest(w, []string{"Specify either datetime_range or relative_range."}, fields)
		return
	case hasDT:
		var dr struct{ Start, End string }
		if json.Unmarshal(req.DatetimeRange, &dr) != nil {
			fields["datetime_range"] = "Expected an object with start and end."
			break
		}
		start, err1 := time.Parse(time.RFC3339, dr.Start)
		end, err2 := time.Parse(time.RFC3339, dr.End)
		sub := map[string]string{}
		if err1 != nil {
			sub["start"] = "Invalid date-time."
		}
		if err2 != nil {
			sub["end"] = "Invalid date-time."
		}
		if len(sub) > 0 {
			fields["datetime_range"] = sub
			break
		}
		if !start.Before(end) {
			badRequest(w, []string{"datetime_range start must be before end."}, fields)
			return
		}
		days = datetimeSpan(wall(start, loc), wall(end, loc))
	default:
		sp, ok := relativeSpan(*req.RelativeRange, wall(s.cfg.anchor, loc), s.org)
		if !ok {
			fields["relative_range"] = "\"" + *req.RelativeRange + "\" is not a valid choice."
		}
		days = sp
	}
	saved := false
	if q := req.Query; q != nil {
		switch {
		case q.Type != "saved_search":
			fields["query"] = map[string]string{"type": "Only saved_search queries are supported."}
		case q.SavedSearchID != SavedSearchID:
			fields["query"] = map[string]string{"saved_search_id": "Saved search not found."}
		default:
			saved = true
		}
	}
	var users []int
	seen := map[int]bool{}
	for _, id := range req.Users {
		i, ok := s.byID[id]
		if !ok {
			fields["users"] = "Unknown user: " + id
			break
		}
		if !seen[i] {
			seen[i] = true
			users = append(users, i)
		}
	}
	if len(fields) > 0 {
		badRequest(w, nil, fields)
		return
	}
	if req.Users == nil {
		users = make([]int, len(s.users))
		for i := range users {
			users[i] = i
		}
	}
	days = days.clamp(span{s.org, dayOf(wall(s.cfg.anchor, loc)) + 1})
	rep := s.compute(req.Type, metrics, users, days, saved)
	for i := range rep.rows {
		d := rep.rows[i].datetime
		rep.rows[i].datetime = time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, loc)
	}
	if acceptsCSV(r.Header.Get("Accept")) {
		s.writeCSV(w, req.Type, metrics, rep)
		return
	}
	s.writeJSON(w, req.Type, metrics, rep)
}

func acceptsCSV(accept string) bool {
	for _, part := range strings.Split(accept, ",") {
		mt, _, _ := mime.ParseMediaType(strings.TrimSpace(part))
		if mt == "text/csv" {
			return true
		}
	}
	return false
}

// value is a metric value; nil is JSON null.
type value = *float64

type computed struct {
	totals map[string]value
	rows   []computedRow
}

type computedRow struct {
	datetime time.Time
	user     int
	values   map[string]value
}

func (s *Server) compute(typ string, metrics []*Metric, users []int, days span, saved bool) computed {
	out := computed{totals: s.cellValues(metrics, users, days, saved)}
	if typ == "overview" {
		for _, b := range buckets(days) {
			out.rows = append(out.rows, computedRow{datetime: b.label, values: s.cellValues(metrics, users, b.days, saved)})
		}
		return out
	}
	for _, u := range users {
		out.rows = append(out.rows, computedRow{user: u, values: s.cellValues(metrics, []int{u}, days, saved)})
	}
	return out
}

// cellValues computes the requested metrics over users and days.
func (s *Server) cellValues(metrics []*Metric, users []int, days span, saved bool) map[string]value {
	sum := func(m *Metric) float64 {
		total := 0.0
		for _, u := range users {
			for d := days.from; d < days.to; d++ {
				total += cell(m, u, d, saved)
			}
		}
		return total
	}
	out := make(map[string]value, len(metrics))
	for _, m := range metrics {
		if m.avgOf[0] == "" {
			v := sum(m)
			out[m.Key] = &v
			continue
		}
		num, den := sum(metricIndex[m.avgOf[0]]), sum(metricIndex[m.avgOf[1]])
		if den == 0 {
			out[m.Key] = nil
			continue
		}
		v := math.Round(num/den*100) / 100
		out[m.Key] = &v
	}
	return out
}

// datetimeLayout writes a bucket start with its offset, "+00:00" for UTC as
// Close does.
const datetimeLayout = "2006-01-02T15:04:05-07:00"

func (s *Server) writeJSON(w http.ResponseWriter, typ string, metrics []*Metric, rep computed) {
	data := make([]map[string]any, 0, len(rep.rows))
	lookup := map[string]any{}
	for _, row := range rep.rows {
		m := make(map[string]any, len(row.values)+1)
		for k, v := range row.values {
			m[k] = v
		}
		if typ == "overview" {
			m["datetime"] = row.datetime.Format(datetimeLayout)
		} else {
			u := s.users[row.user]
			m["user_id"] = u.ID
			lookup[u.ID] = map[string]any{"id": u.ID, "display": u.Display(), "first_name": u.FirstName,
				"last_name": u.LastName, "email": u.Email}
		}
		data = append(data, m)
	}
	body := map[string]any{"aggregations": map[string]any{"totals": rep.totals}, "data": data}
	if typ == "comparison" {
		body["lookup"] = map[string]any{"user": lookup}
	}
	fakeserver.WriteJSON(w, http.StatusOK, body)
}

func (s *Server) writeCSV(w http.ResponseWriter, typ string, metrics []*Metric, rep computed) {
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	header := []string{"datetime"}
	if typ == "comparison" {
		header = []string{"user_id", "user_name"}
	}
	for _, m := range metrics {
		header = append(header, m.Key)
	}
	_ = cw.Write(header)
	for _, row := range rep.rows {
		rec := make([]string, 0, len(header))
		if typ == "overview" {
			rec = append(rec, row.datetime.Format(datetimeLayout))
		} else {
			u := s.users[row.user]
			rec = append(rec, u.ID, u.Display())
		}
		for _, m := range metrics {
			rec = append(rec, formatValue(row.values[m.Key]))
		}
		_ = cw.Write(rec)
	}
	cw.Flush()
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="activity-report.csv"`)
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(buf.Bytes())
}

func formatValue(v value) string {
	if v == nil {
		return ""
	}
	return strconv.FormatFloat(*v, 'f', -1, 64)
}

func (s *Server) serveMetrics(w http.ResponseWriter, _ *http.Request) {
	items := make([]any, len(catalogue))
	for i, m := range catalogue {
		switch s.cfg.shape {
		case DataStrings, BareStrings:
			items[i] = m.Key
		default:
			items[i] = map[string]string{"key": m.Key, "label": m.Label, "description": m.Description, "unit": m.Unit}
		}
	}
	switch s.cfg.shape {
	case BareObjects, BareStrings:
		fakeserver.WriteJSON(w, http.StatusOK, items)
	default:
		fakeserver.WriteJSON(w, http.StatusOK, map[string]any{"data": items})
	}
}
