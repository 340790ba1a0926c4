package analyticstest

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/activitysdk/activity-go/internal/fakeserver"
)

// activity is the answer's ActivityTimeSeries.
type activity struct {
	Metric string  `json:"metric"`
	Label  string  `json:"label"`
	Period period  `json:"period"`
	Data   []point `json:"data"`
}

type period struct {
	Start string `json:"start"`
	End   string `json:"end"`
}

const metricActivityCount = "activity-count"

// metricLabels are the documented metrics of each activity endpoint, with
// their labels.
var metricLabels = map[string]map[string]string{
	"users":   {metricActivityCount: Label},
	"devices": {metricActivityCount: Label, "user-count": "Daily Users"},
	"apps":    {"active-time": "Active Time", "session-count": "Sessions", "user-count": "Daily Users"},
}

// serve answers requests that passed the fault and credential checks.
// Checks run in this order: route, method, id syntax (400), client (404,
// then 403), resource (404), query parameters (400).
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	segs := fakeserver.Segments(r)
	if len(segs) > 0 && "/"+segs[0] == BasePath {
		segs = segs[1:]
	}
	var (
		ids   []string
		route string
		ok    bool
	)
	for _, rt := range []struct {
		name    string
		pattern []string
	}{
		{"utilization", []string{"clients", "{}", "analytics", "apps", "utilization"}},
		{"summary", []string{"clients", "{}", "analytics", "apps", "utilization", "summary"}},
		{"rankings", []string{"clients", "{}", "analytics", "apps", "utilization", "rankings"}},
		{"users", []string{"clients", "{}", "analytics", "users", "{}", "activity"}},
		{"devices", []string{"clients", "{}", "analytics", "devices", "{}", "activity"}},
		{"apps", []string{"clients", "{}", "analytics", "apps", "{}", "activity"}},
	} {
		if ids, ok = fakeserver.Match(segs, rt.pattern...); ok {
			route = rt.name
			break
		}
	}
	if !ok {
		s.writeError(w, http.StatusNotFound, "not_found", "No such endpoint", map[string]string{"path": r.URL.EscapedPath()})
		return
	}
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", http.MethodGet)
		s.writeError(w, http.StatusMethodNotAllowed, "method_not_allowed", "Only GET is allowed", nil)
		return
	}
	names := []string{"client_id", map[string]string{"users": "user_id", "devices": "device_id", "apps": "app_id"}[route]}
	for i, id := range ids {
		if !isUUID(id) {
			s.writeError(w, http.StatusBadRequest, "invalid_parameter", names[i]+" must be a UUID", map[string]string{names[i]: id})
			return
		}
	}
	clientID := strings.ToLower(ids[0])
	switch {
	case clientID == ForbiddenClientID:
		s.writeError(w, http.StatusForbidden, "forbidden", "Insufficient permissions for this client", map[string]string{"client_id": ids[0]})
		return
	case !s.knownClient(clientID):
		s.writeError(w, http.StatusNotFound, "not_found", "Client not found", map[string]string{"client_id": ids[0]})
		return
	}
	q := r.URL.Query()
	switch route {
	case "utilization":
		s.serveUtilization(w, clientID, q)
		return
	case "summary":
		s.serveSummary(w, clientID, q)
		return
	case "rankings":
		s.serveRankings(w, clientID, q)
		return
	}
	id := strings.ToLower(ids[1])
	var value func(metric string, day time.Time) float64
	switch route {
	case "users":
		if !s.knownUser(clientID, id) {
			s.writeError(w, http.StatusNotFound, "not_found", "User not found", map[string]string{"user_id": ids[1]})
			return
		}
		value = func(_ string, day time.Time) float64 { return DailyValue(clientID, id, day) }
	case "devices":
		if clientID != ClientID || (id != DeviceID && id != SecondDeviceID) {
			s.writeError(w, http.StatusNotFound, "not_found", "Device not found", map[string]string{"device_id": ids[1]})
			return
		}
		value = func(m string, day time.Time) float64 { return DeviceValue(clientID, id, m, day) }
	case "apps":
		if i := appIndex(id); i < 0 || i >= s.apps(clientID) {
			s.writeError(w, http.StatusNotFound, "not_found", "App not found", map[string]string{"app_id": ids[1]})
			return
		}
		value = func(m string, day time.Time) float64 { return AppValue(clientID, id, m, day) }
	}
	s.serveActivity(w, route, q, value)
}

// serveActivity answers an activity time series.
func (s *Server) serveActivity(w http.ResponseWriter, route string, q map[string][]string, value func(string, time.Time) float64) {
	get := func(name string) string {
		if v := q[name]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	has := func(name string) bool { _, ok := q[name]; return ok }
	for name, vals := range q {
		if len(vals) > 1 {
			s.writeError(w, http.StatusBadRequest, "invalid_parameter", "Parameter "+name+" given more than once", map[string]string{name: strings.Join(vals, ",")})
			return
		}
	}
	for _, name := range []string{"start_date", "end_date", "metric"} {
		if !has(name) {
			s.writeError(w, http.StatusBadRequest, "invalid_parameter", "Missing required parameter: "+name, map[string]string{"parameter": name})
			return
		}
	}
	// granularity is required by the documentation's table, but its example
	// request leaves it out and gets a daily series: default to daily.
	g := get("granularity")
	switch g {
	case "":
		g = "daily"
	case "daily", "weekly", "monthly", "quarterly":
	default:
		s.writeError(w, http.StatusBadRequest, "invalid_parameter", "Unknown granularity: "+g, map[string]string{"granularity": g})
		return
	}
	var dates [2]time.Time
	for i, name := range []string{"start_date", "end_date"} {
		d, err := time.Parse(dateLayout, get(name))
		if err != nil {
			s.writeError(w, http.StatusBadRequest, "invalid_parameter", "Invalid date format for "+name+": expected YYYY-MM-DD", map[string]string{name: get(name)})
			return
		}
		dates[i] = d
	}
	start, end := dates[0], dates[1]
	rangeDetails := map[string]string{"start_date": get("start_date"), "end_date": get("end_date")}
	m := get("metric")
	label, known := metricLabels[route][m]
	if !known {
		s.writeError(w, http.StatusBadRequest, "invalid_parameter", "Unknown metric: "+m, map[string]string{"metric": m})
		return
	}
	if end.Before(start) {
		s.writeError(w, http.StatusBadRequest, "invalid_parameter", "start_date must not be after end_date", rangeDetails)
		return
	}
	n := end.Sub(start).Hours()/24 + 1
	if route == "users" && n > MaxRangeDays {
		s.writeError(w, http.StatusBadRequest, "invalid_parameter", "Date range cannot exceed "+strconv.Itoa(MaxRangeDays)+" days", rangeDetails)
		return
	}
	if n > maxFakeDays {
		s.writeError(w, http.StatusBadRequest, "invalid_parameter", "analyticstest serves ranges of at most "+strconv.Itoa(maxFakeDays)+" days", rangeDetails)
		return
	}
	s.writeOK(w, activity{
		Metric: m,
		Label:  label,
		Period: period{Start: start.Format(dateLayout), End: end.Format(dateLayout)},
		Data:   series(g, start, end, s.cfg.calendarDates, func(d time.Time) float64 { return value(m, d) }),
	})
}

// writeOK answers 200 with v as JSON and a request id.
func (s *Server) writeOK(w http.ResponseWriter, v any) {
	w.Header().Set("X-Request-Id", "req-"+strconv.FormatInt(s.reqID.Add(1), 10))
	fakeserver.WriteJSON(w, http.StatusOK, v)
}

// isUUID reports whether s is 8-4-4-4-12 hexadecimal digits.
func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if i == 8 || i == 13 || i == 18 || i == 23 {
			if c != '-' {
				return false
			}
			continue
		}
		if !strings.ContainsRune("0123456789abcdefABCDEF", rune(c)) {
			return false
		}
	}
	return true
}
