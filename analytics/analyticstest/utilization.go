package analyticstest

import (
	"encoding/base64"
	"math"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// measure is a figure in the API's comparison wrapper.
type measure struct {
	Value     float64  `json:"value"`
	ChangePct *float64 `json:"change_pct"`
}

type ref struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type appJSON struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	Vendor     ref    `json:"vendor"`
	Categories []ref  `json:"categories"`
	IsApproved bool   `json:"is_approved"`
	IsFavorite bool   `json:"is_favorite"`
}

type utilRow struct {
	App             appJSON `json:"app"`
	UniqueUsers     measure `json:"unique_users"`
	ActiveTimeMS    measure `json:"active_time_ms"`
	AvgTimeMSPerDay measure `json:"avg_time_ms_per_day"`
	SessionCount    measure `json:"session_count"`
	UsageLevel      string  `json:"usage_level"`
	RiskLevel       string  `json:"risk_level"`
}

type utilList struct {
	Period     period    `json:"period"`
	Data       []utilRow `json:"data"`
	TotalCount int       `json:"total_count"`
	NextCursor *string   `json:"next_cursor"`
}

type utilSummary struct {
	Period         period  `json:"period"`
	TotalApps      measure `json:"total_apps"`
	DiscoveredApps measure `json:"discovered_apps"`
	DroppedOffApps measure `json:"dropped_off_apps"`
	Categories     measure `json:"categories"`
	Users          measure `json:"users"`
	Departments    measure `json:"departments"`
}

type rankedApp struct {
	App    appJSON `json:"app"`
	Metric measure `json:"metric"`
}

type ranking struct {
	Leader          *rankedApp `json:"leader"`
	BiggestIncrease *rankedApp `json:"biggest_increase"`
	BiggestDecrease *rankedApp `json:"biggest_decrease"`
}

type utilRankings struct {
	Period         period  `json:"period"`
	ByInteractions ranking `json:"by_interactions"`
	ByTime         ranking `json:"by_time"`
	ByActiveUsers  ranking `json:"by_active_users"`
}

// usage is one app's figures over a period.
type usage struct {
	users, sessions, ms int64 // users: the most on any one day
	activeDays          int
}

func (s *Server) usage(clientID string, a AppInfo, start, end time.Time) usage {
	var u usage
	for d := start; !d.After(end); d = d.AddDate(0, 0, 1) {
		users, sessions, ms := a.day(clientID, d)
		if users == 0 {
			continue
		}
		u.users = max(u.users, users)
		u.sessions += sessions
		u.ms += ms
		u.activeDays++
	}
	return u
}

// utilQuery is a parsed, validated utilization query.
type utilQuery struct {
	g                   string
	start, end          time.Time
	compare             bool
	cStart, cEnd        time.Time
	filter, q           string
	categories, vendors map[int]bool
	departments         map[int]bool
	approved, favorite  *bool
	pageSize, offset    int
	periodJSON          period
	rangeDays, compDays int
	hasCursor           bool
}

// maxFakeDays bounds the ranges the fake computes (ten years).
const maxFakeDays = 3660

// parseUtil reads and checks the query of a utilization endpoint; allowed
// names the optional parameters the endpoint takes. It writes the 400 and
// returns false on a bad query.
func (s *Server) parseUtil(w http.ResponseWriter, q url.Values, allowed ...string) (*utilQuery, bool) {
	bad := func(msg string, details map[string]string) (*utilQuery, bool) {
		s.writeError(w, http.StatusBadRequest, "invalid_parameter", msg, details)
		return nil, false
	}
	for name, vals := range q {
		if len(vals) > 1 {
			return bad("Parameter "+name+" given more than once", map[string]string{name: strings.Join(vals, ",")})
		}
	}
	for _, name := range []string{"granularity", "start_date", "end_date"} {
		if !q.Has(name) {
			return bad("Missing required parameter: "+name, map[string]string{"parameter": name})
		}
	}
	u := &utilQuery{g: q.Get("granularity")}
	switch u.g {
	case "daily", "weekly", "monthly", "quarterly":
	default:
		return bad("Unknown granularity: "+u.g, map[string]string{"granularity": u.g})
	}
	dates := map[string]time.Time{}
	for _, name := range []string{"start_date", "end_date", "compare_start_date", "compare_end_date"} {
		if !q.Has(name) {
			continue
		}
		d, err := time.Parse(dateLayout, q.Get(name))
		if err != nil {
			return bad("Invalid date format for "+name+": expected YYYY-MM-DD", map[string]string{name: q.Get(name)})
		}
		dates[name] = d
	}
	u.start, u.end = dates["start_date"], dates["end_date"]
	if u.end.Before(u.start) {
		return bad("start_date must not be after end_date", map[string]string{"start_date": q.Get("start_date"), "end_date": q.Get("end_date")})
	}
	if q.Has("compare_start_date") != q.Has("compare_end_date") {
		return bad("compare_start_date and compare_end_date must be given together",
			map[string]string{"compare_start_date": q.Get("compare_start_date"), "compare_end_date": q.Get("compare_end_date")})
	}
	if q.Has("compare_start_date") {
		u.compare, u.cStart, u.cEnd = true, dates["compare_start_date"], dates["compare_end_date"]
		if u.cEnd.Before(u.cStart) {
			return bad("compare_start_date must not be after compare_end_date", nil)
		}
	}
	u.rangeDays = int(u.end.Sub(u.start).Hours()/24) + 1
	u.compDays = int(u.cEnd.Sub(u.cStart).Hours()/24) + 1
	if u.rangeDays > maxFakeDays || (u.compare && u.compDays > maxFakeDays) {
		return bad("analyticstest serves ranges of at most "+strconv.Itoa(maxFakeDays)+" days", nil)
	}
	u.periodJSON = period{Start: u.start.Format(dateLayout), End: u.end.Format(dateLayout)}
	ok := map[string]bool{}
	for _, a := range allowed {
		ok[a] = true
	}
	for _, f := range []struct {
		name  string
		into  *map[int]bool
		idFor func(int) string
		n     int
	}{
		{"category_ids", &u.categories, CategoryID, NumCategories},
		{"vendor_ids", &u.vendors, VendorID, NumVendors},
		{"department_ids", &u.departments, DepartmentID, NumDepartments},
	} {
		if !ok[f.name] || !q.Has(f.name) {
			continue
		}
		*f.into = map[int]bool{}
		for _, id := range strings.Split(q.Get(f.name), ",") {
			if !isUUID(id) {
				return bad(f.name+" must be a comma-separated list of UUIDs", map[string]string{f.name: q.Get(f.name)})
			}
			for i := 0; i < f.n; i++ {
				if strings.EqualFold(f.idFor(i), id) {
					(*f.into)[i] = true
				}
			}
		}
	}
	for _, f := range []struct {
		name string
		into **bool
	}{{"is_approved", &u.approved}, {"is_favorite", &u.favorite}} {
		if !ok[f.name] || !q.Has(f.name) {
			continue
		}
		v, err := strconv.ParseBool(q.Get(f.name))
		if err != nil || (q.Get(f.name) != "true" && q.Get(f.name) != "false") {
			return bad(f.name+" must be true or false", map[string]string{f.name: q.Get(f.name)})
		}
		*f.into = &v
	}
	if ok["filter"] && q.Has("filter") {
		switch u.filter = q.Get("filter"); u.filter {
		case "discovered", "dropped_off":
		default:
			return bad("Unknown filter: "+u.filter, map[string]string{"filter": u.filter})
		}
	}
	if ok["q"] {
		u.q = strings.ToLower(q.Get("q"))
	}
	if ok["page_size"] {
		u.pageSize = 50
		if q.Has("page_size") {
			n, err := strconv.Atoi(q.Get("page_size"))
			if err != nil || n < 1 || n > MaxPageSize {
				return bad("page_size must be between 1 and "+strconv.Itoa(MaxPageSize), map[string]string{"page_size": q.Get("page_size")})
			}
			u.pageSize = n
		}
	}
	if ok["cursor"] && q.Has("cursor") {
		off, valid := decodeCursor(q.Get("cursor"))
		if !valid {
			return bad("Invalid cursor", map[string]string{"cursor": q.Get("cursor")})
		}
		u.offset, u.hasCursor = off, true
	}
	return u, true
}

// MaxPageSize is the largest page_size the fake's lists accept.
const MaxPageSize = 200

// Cursors are opaque to clients; the fake's hold the offset of the next row.
func encodeCursor(offset int) string {
	return base64.RawURLEncoding.EncodeToString([]byte("off:" + strconv.Itoa(offset)))
}

func decodeCursor(c string) (int, bool) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil || !strings.HasPrefix(string(b), "off:") {
		return 0, false
	}
	n, err := strconv.Atoi(string(b[4:]))
	return n, err == nil && n > 0
}

// matches reports whether app a passes the catalogue filters of u.
func (u *utilQuery) matches(a AppInfo) bool {
	if u.categories != nil && !u.categories[a.Category] {
		return false
	}
	if u.vendors != nil && !u.vendors[a.Vendor] {
		return false
	}
	if u.departments != nil && !u.departments[a.Department[0]] && !u.departments[a.Department[1]] {
		return false
	}
	if u.approved != nil && *u.approved != a.Approved {
		return false
	}
	if u.favorite != nil && *u.favorite != a.Favorite {
		return false
	}
	return u.q == "" || strings.Contains(strings.ToLower(a.Name), u.q)
}

func appToJSON(a AppInfo) appJSON {
	return appJSON{ID: a.ID, Name: a.Name, Vendor: ref{VendorID(a.Vendor), vendorNames[a.Vendor]},
		Categories: []ref{{CategoryID(a.Category), categoryNames[a.Category]}}, IsApproved: a.Approved, IsFavorite: a.Favorite}
}

// changePct is the change from prev to cur in percent, one decimal; nil
// without a comparison or when prev is 0.
func changePct(compare bool, cur, prev float64) *float64 {
	if !compare || prev == 0 {
		return nil
	}
	v := math.Round((cur-prev)/prev*1000) / 10
	return &v
}

// units is the number of granularity periods that meet [start, end].
func units(g string, start, end time.Time) int {
	n := 0
	for cur := start; !cur.After(end); cur = nextPeriod(g, periodStart(g, cur)) {
		n++
	}
	return n
}

// entry is an app with its usage in the period and the comparison period.
type entry struct {
	app       AppInfo
	cur, prev usage
}

// entries returns the catalogue apps that pass u's filters, with their
// usage, for the apps-with-activity set unless filter says otherwise.
func (s *Server) entries(clientID string, u *utilQuery) []entry {
	var out []entry
	for i := 0; i < s.apps(clientID); i++ {
		a := App(i)
		if !u.matches(a) {
			continue
		}
		e := entry{app: a, cur: s.usage(clientID, a, u.start, u.end)}
		switch u.filter {
		case "discovered":
			if a.FirstSeen.Before(u.start) || a.FirstSeen.After(u.end) || e.cur.activeDays == 0 {
				continue
			}
		case "dropped_off":
			if e.cur.activeDays > 0 || !a.FirstSeen.Before(u.start) {
				continue
			}
		default:
			if e.cur.activeDays == 0 {
				continue
			}
		}
		if u.compare {
			e.prev = s.usage(clientID, a, u.cStart, u.cEnd)
		}
		out = append(out, e)
	}
	return out
}

func level(v, low, high int64) string {
	switch {
	case v >= high:
		return "high"
	case v >= low:
		return "medium"
	}
	return "low"
}

func (u *utilQuery) row(e entry) utilRow {
	avg := func(x usage) float64 {
		if u.g == "daily" {
			if x.activeDays == 0 {
				return 0
			}
			return math.Round(float64(x.ms) / float64(x.activeDays))
		}
		return math.Round(float64(x.ms) / float64(max(1, u.rangeDays)))
	}
	m := func(cur, prev float64) measure { return measure{cur, changePct(u.compare, cur, prev)} }
	risk := "low"
	if !e.app.Approved {
		risk = "high"
		if e.app.Category != 5 {
			risk = "medium"
		}
	}
	return utilRow{
		App:             appToJSON(e.app),
		UniqueUsers:     m(float64(e.cur.users), float64(e.prev.users)),
		ActiveTimeMS:    m(float64(e.cur.ms), float64(e.prev.ms)),
		AvgTimeMSPerDay: m(avg(e.cur), avg(e.prev)),
		SessionCount:    m(float64(e.cur.sessions), float64(e.prev.sessions)),
		UsageLevel:      level(int64(e.cur.activeDays*100/max(1, u.rangeDays)), 30, 60),
		RiskLevel:       risk,
	}
}

// serveUtilization answers GET .../apps/utilization: rows sorted by active
// time (most first), then id, paged by cursor.
func (s *Server) serveUtilization(w http.ResponseWriter, clientID string, q url.Values) {
	u, ok := s.parseUtil(w, q, "filter", "q", "category_ids", "vendor_ids", "department_ids", "is_approved", "is_favorite", "page_size", "cursor")
	if !ok {
		return
	}
	es := s.entries(clientID, u)
	sort.SliceStable(es, func(i, j int) bool {
		if es[i].cur.ms != es[j].cur.ms {
			return es[i].cur.ms > es[j].cur.ms
		}
		return es[i].app.ID < es[j].app.ID
	})
	if u.offset > len(es) {
		u.offset = len(es)
	}
	end := min(u.offset+u.pageSize, len(es))
	out := utilList{Period: u.periodJSON, Data: []utilRow{}, TotalCount: len(es)}
	for _, e := range es[u.offset:end] {
		out.Data = append(out.Data, u.row(e))
	}
	if end < len(es) {
		c := encodeCursor(end)
		out.NextCursor = &c
	}
	s.writeOK(w, out)
}

// serveSummary answers GET .../apps/utilization/summary.
func (s *Server) serveSummary(w http.ResponseWriter, clientID string, q url.Values) {
	u, ok := s.parseUtil(w, q, "is_approved", "category_ids", "department_ids")
	if !ok {
		return
	}
	count := func(start, end time.Time) (apps, discovered, dropped, cats, users, depts float64) {
		catSet, deptSet := map[int]bool{}, map[int]bool{}
		for i := 0; i < s.apps(clientID); i++ {
			a := App(i)
			if !u.matches(a) {
				continue
			}
			us := s.usage(clientID, a, start, end)
			if us.activeDays == 0 {
				if a.FirstSeen.Before(start) {
					dropped++
				}
				continue
			}
			apps++
			if !a.FirstSeen.Before(start) {
				discovered++
			}
			users += float64(us.users)
			catSet[a.Category] = true
			deptSet[a.Department[0]], deptSet[a.Department[1]] = true, true
		}
		return apps, discovered, dropped, float64(len(catSet)), users, float64(len(deptSet))
	}
	a, d, o, c, us, dp := count(u.start, u.end)
	var pa, pd, po, pc, pus, pdp float64
	if u.compare {
		pa, pd, po, pc, pus, pdp = count(u.cStart, u.cEnd)
	}
	m := func(cur, prev float64) measure { return measure{cur, changePct(u.compare, cur, prev)} }
	s.writeOK(w, utilSummary{Period: u.periodJSON, TotalApps: m(a, pa), DiscoveredApps: m(d, pd), DroppedOffApps: m(o, po),
		Categories: m(c, pc), Users: m(us, pus), Departments: m(dp, pdp)})
}

// serveRankings answers GET .../apps/utilization/rankings.
func (s *Server) serveRankings(w http.ResponseWriter, clientID string, q url.Values) {
	u, ok := s.parseUtil(w, q, "category_ids", "department_ids")
	if !ok {
		return
	}
	es := s.entries(clientID, u)
	curUnits, prevUnits := float64(units(u.g, u.start, u.end)), float64(units(u.g, u.cStart, u.cEnd))
	rank := func(value func(x usage, n float64) float64) ranking {
		var r ranking
		var best, up, down *rankedApp
		var bestV, upV, downV float64
		for _, e := range es {
			cur := value(e.cur, curUnits)
			var prev float64
			if u.compare {
				prev = value(e.prev, prevUnits)
			}
			ra := &rankedApp{App: appToJSON(e.app), Metric: measure{cur, changePct(u.compare, cur, prev)}}
			if best == nil || cur > bestV {
				best, bestV = ra, cur
			}
			if ra.Metric.ChangePct != nil {
				if p := *ra.Metric.ChangePct; up == nil || p > upV {
					up, upV = ra, p
				}
				if p := *ra.Metric.ChangePct; down == nil || p < downV {
					down, downV = ra, p
				}
			}
		}
		r.Leader = best
		if u.compare {
			r.BiggestIncrease, r.BiggestDecrease = up, down
		}
		return r
	}
	perUnit := func(v float64, n float64) float64 { return math.Round(v/math.Max(n, 1)*10) / 10 }
	s.writeOK(w, utilRankings{
		Period:         u.periodJSON,
		ByInteractions: rank(func(x usage, n float64) float64 { return perUnit(float64(x.sessions), n) }),
		ByTime:         rank(func(x usage, n float64) float64 { return perUnit(float64(x.ms), n) }),
		ByActiveUsers:  rank(func(x usage, _ float64) float64 { return float64(x.users) }),
	})
}
