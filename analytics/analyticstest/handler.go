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

// serve answers requests that passed the fault and credential checks.
// Checks run in this order: route, method, id syntax (400), client (404,
// then 403), user (404), query parameters (400).
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	segs := fakeserver.Segments(r)
	if len(segs) > 0 && "/"+segs[0] == BasePath {
		segs = segs[1:]
	}
	ids, ok := fakeserver.Match(segs, "clients", "{}", "analytics", "users", "{}", "activity")
	if !ok {
		s.writeError(w, http.StatusNotFound, "not_found", "No such endpoint", map[string]string{"path": r.URL.EscapedPath()})
		return
	}
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", http.MethodGet)
		s.writeError(w, http.StatusMethodNotAllowed, "method_not_allowed", "Only GET is allowed", nil)
		return
	}
	clientID, userID := strings.ToLower(ids[0]), strings.ToLower(ids[1])
	for _, p := range [][2]string{{"client_id", ids[0]}, {"user_id", ids[1]}} {
		if !isUUID(p[1]) {
			s.writeError(w, http.StatusBadRequest, "invalid_parameter", p[0]+" must be a UUID", map[string]string{p[0]: p[1]})
			return
		}
	}
	switch {
	case clientID == ForbiddenClientID:
		s.writeError(w, http.StatusForbidden, "forbidden", "Insufficient permissions for this client", map[string]string{"client_id": ids[0]})
		return
	case !s.knownClient(clientID):
		s.writeError(w, http.StatusNotFound, "not_found", "Client not found", map[string]string{"client_id": ids[0]})
		return
	case !s.knownUser(clientID, userID):
		s.writeError(w, http.StatusNotFound, "not_found", "User not found", map[string]string{"user_id": ids[1]})
		return
	}
	q := r.URL.Query()
	for name, vals := range q {
		if len(vals) > 1 {
			s.writeError(w, http.StatusBadRequest, "invalid_parameter", "Parameter "+name+" given more than once", map[string]string{name: strings.Join(vals, ",")})
			return
		}
	}
	for _, name := range []string{"start_date", "end_date", "metric"} {
		if !q.Has(name) {
			s.writeError(w, http.StatusBadRequest, "invalid_parameter", "Missing required parameter: "+name, map[string]string{"parameter": name})
			return
		}
	}
	// granularity is required by the documentation's table, but its example
	// request leaves it out and gets a daily series: default to daily.
	g := q.Get("granularity")
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
		d, err := time.Parse(dateLayout, q.Get(name))
		if err != nil {
			s.writeError(w, http.StatusBadRequest, "invalid_parameter", "Invalid date format for "+name+": expected YYYY-MM-DD", map[string]string{name: q.Get(name)})
			return
		}
		dates[i] = d
	}
	start, end := dates[0], dates[1]
	rangeDetails := map[string]string{"start_date": q.Get("start_date"), "end_date": q.Get("end_date")}
	if m := q.Get("metric"); m != metricActivityCount {
		s.writeError(w, http.StatusBadRequest, "invalid_parameter", "Unknown metric: "+m, map[string]string{"metric": m})
		return
	}
	if end.Before(start) {
		s.writeError(w, http.StatusBadRequest, "invalid_parameter", "start_date must not be after end_date", rangeDetails)
		return
	}
	if n := end.Sub(start).Hours()/24 + 1; n > MaxRangeDays {
		s.writeError(w, http.StatusBadRequest, "invalid_parameter", "Date range cannot exceed "+strconv.Itoa(MaxRangeDays)+" days", rangeDetails)
		return
	}
	w.Header().Set("X-Request-Id", "req-"+strconv.FormatInt(s.reqID.Add(1), 10))
	fakeserver.WriteJSON(w, http.StatusOK, activity{
		Metric: metricActivityCount,
		Label:  Label,
		Period: period{Start: start.Format(dateLayout), End: end.Format(dateLayout)},
		Data:   series(clientID, userID, g, start, end, s.cfg.calendarDates),
	})
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
