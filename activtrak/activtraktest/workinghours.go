package activtraktest

import (
	"net/http"
	"time"
)

// timeBreakdown is the wire shape of activeTime and passiveTime.
type timeBreakdown struct {
	Productive   float64 `json:"productive"`
	Unproductive float64 `json:"unproductive"`
	Undefined    float64 `json:"undefined"`
	Total        float64 `json:"total"`
}

// workingHoursRow is one row, in the field order of the seed's examples: the
// users endpoint sends computerid and users, the computers endpoint userid
// and computers (as ActivTrak's documentation shows them).
type workingHoursRow struct {
	Date            string        `json:"date"`
	UserID          *int64        `json:"userid,omitempty"`
	ComputerID      *int64        `json:"computerid,omitempty"`
	Groups          []string      `json:"groups"`
	FirstActivity   string        `json:"firstActivity"`
	LastActivity    string        `json:"lastActivity"`
	LastActivityLog string        `json:"lastActivityLog"`
	Users           []string      `json:"users,omitempty"`
	Computers       []string      `json:"computers,omitempty"`
	ActiveTime      timeBreakdown `json:"activeTime"`
	PassiveTime     timeBreakdown `json:"passiveTime"`
	TotalTime       float64       `json:"totalTime"`
}

// workingHours builds the row of user u (0-based) on day d (0-based). The
// three timestamps show the three shapes the API has been seen to send: no
// offset, no offset with milliseconds, and UTC with "Z".
func (s *Server) workingHours(perspective string, d, u int) workingHoursRow {
	day := s.cfg.start.AddDate(0, 0, d)
	seed := d*31 + u*17
	first := day.Add(8*time.Hour + time.Duration(seed%60)*time.Minute + time.Duration(seed%47)*time.Second)
	last := day.Add(17*time.Hour + time.Duration(seed%45)*time.Minute + time.Duration(seed%53)*time.Second + 250*time.Millisecond)
	active := timeBreakdown{Productive: float64(14400 + seed*61%7200), Unproductive: float64(1800 + seed*13%1800), Undefined: float64(600 + seed*7%600)}
	active.Total = active.Productive + active.Unproductive + active.Undefined
	passive := timeBreakdown{Productive: float64(900 + seed*5%900), Unproductive: float64(300 + seed*3%300), Undefined: float64(120 + seed%120)}
	passive.Total = passive.Productive + passive.Unproductive + passive.Undefined
	row := workingHoursRow{
		Date:            day.Format("2006-01-02T15:04:05"),
		Groups:          []string{GroupName(u % s.cfg.groups)},
		FirstActivity:   first.Format("2006-01-02T15:04:05"),
		LastActivity:    last.Format("2006-01-02T15:04:05.000"),
		LastActivityLog: last.Add(time.Minute).Format(time.RFC3339Nano),
		ActiveTime:      active,
		PassiveTime:     passive,
		TotalTime:       active.Total + passive.Total,
	}
	if perspective == "users" {
		row.ComputerID = int64Ptr(computerID(u))
		row.Users = []string{UserName(u)}
	} else {
		row.UserID = int64Ptr(userID(u))
		row.Computers = []string{ComputerName(u)}
	}
	return row
}

type workingHoursAnswer struct {
	Activity []any `json:"activity"`
	Total    int   `json:"total"`
}

// publicWorkingHoursRow is a row in the public contract: camel-case ids
// (both, nullable), names, and on the users report TotalOfflineMeetings and
// location; groups, users and computers as the document declares them,
// arrays of arrays.
type publicWorkingHoursRow struct {
	Date                 string        `json:"date"`
	UserID               *int64        `json:"userId"`
	ComputerID           *int64        `json:"computerId"`
	User                 *string       `json:"user"`
	Computer             *string       `json:"computer"`
	Groups               [][]string    `json:"groups"`
	Users                [][]string    `json:"users"`
	Computers            [][]string    `json:"computers"`
	FirstActivity        string        `json:"firstActivity"`
	LastActivity         string        `json:"lastActivity"`
	LastActivityLog      string        `json:"lastActivityLog"`
	ActiveTime           timeBreakdown `json:"activeTime"`
	PassiveTime          timeBreakdown `json:"passiveTime"`
	TotalTime            float64       `json:"totalTime"`
	TotalOfflineMeetings *int          `json:"TotalOfflineMeetings,omitempty"`
	Location             *string       `json:"location,omitempty"`
}

// publicRow is the public contract's form of row (of user u).
func (s *Server) publicRow(perspective string, u int, row workingHoursRow) publicWorkingHoursRow {
	uid, cid := userID(u), computerID(u)
	un, cn := UserName(u), ComputerName(u)
	p := publicWorkingHoursRow{Date: row.Date, UserID: &uid, ComputerID: &cid, User: &un, Computer: &cn,
		Groups: [][]string{row.Groups}, FirstActivity: row.FirstActivity, LastActivity: row.LastActivity,
		LastActivityLog: row.LastActivityLog, ActiveTime: row.ActiveTime, PassiveTime: row.PassiveTime, TotalTime: row.TotalTime}
	if perspective == "users" {
		p.Users = [][]string{{un}}
		meetings, loc := u%3, Locations[u%len(Locations)]
		p.TotalOfflineMeetings, p.Location = &meetings, &loc
	} else {
		p.Computers = [][]string{{cn}}
	}
	return p
}

// Locations are the work locations the fake gives users and records, in
// turn.
var Locations = []string{"Office", "Remote", "Hybrid"}

func (s *Server) serveWorkingHours(w http.ResponseWriter, r *http.Request, perspective string) {
	ans, err := s.workingHoursPage(r, perspective)
	answer(w, r, ans, err)
}

// workingHoursPage answers one page: rows ordered by day, then by user (or
// computer) id; one row per user (computer) and day within [from, to].
func (s *Server) workingHoursPage(r *http.Request, perspective string) (*workingHoursAnswer, error) {
	q := r.URL.Query()
	from, ok, err := parseDate(q, "from")
	if err == nil && !ok {
		err = badRequest("The from parameter is required. Format: YYYY-MM-DD.")
	}
	if err != nil {
		return nil, err
	}
	to, ok, err := parseDate(q, "to")
	if err == nil && !ok {
		err = badRequest("The to parameter is required. Format: YYYY-MM-DD.")
	}
	if err != nil {
		return nil, err
	}
	if to.Before(from) {
		return nil, badRequest("The to date must not be before the from date.")
	}
	page, err := parseInt(q, "page", 1, 1, 1<<30)
	if err != nil {
		return nil, err
	}
	size, err := parseInt(q, "pageSize", 150, 1, 1000)
	if err != nil {
		return nil, err
	}
	f, err := s.parseFilter(q, perspective)
	if err != nil {
		return nil, err
	}
	var who []int
	for u := range s.cfg.users {
		if s.matchUser(f, u) {
			who = append(who, u)
		}
	}
	d0 := max(0, s.dayIndex(from))
	d1 := min(s.cfg.days-1, s.dayIndex(to))
	s.mu.Lock()
	extra := make(map[int]int, len(s.extraRows))
	for d, n := range s.extraRows {
		extra[d] = n
	}
	s.mu.Unlock()
	// Rows appended with AppendWorkingHours come after the day's generated
	// users: day by day, the generated users, then the day's extra users.
	var rows [][2]int
	for d := d0; d <= d1; d++ {
		for _, u := range who {
			rows = append(rows, [2]int{d, u})
		}
		for u := s.cfg.users; u < s.cfg.users+extra[d]; u++ {
			if s.matchUser(f, u) {
				rows = append(rows, [2]int{d, u})
			}
		}
	}
	ans := &workingHoursAnswer{Activity: []any{}, Total: len(rows)}
	for k := (page - 1) * size; k < len(rows) && k < page*size; k++ {
		u := rows[k][1]
		row := s.workingHours(perspective, rows[k][0], u)
		if s.cfg.earlyAccess {
			ans.Activity = append(ans.Activity, row)
		} else {
			ans.Activity = append(ans.Activity, s.publicRow(perspective, u, row))
		}
	}
	return ans, nil
}

// AppendWorkingHours adds, for the day that contains day (its calendar
// date), the rows of n more users than it had: users
// WithUsers+k (ids 1001+WithUsers+k, computers 2001+WithUsers+k, k counting
// the rows appended to that day before). Working-hours answers then list
// them after the day's other rows, so a client walking day by day sees a row
// appear for a day it may already have read (a late arrival). It returns the
// ids of the users added (the computer ids are theirs plus 1000); a day
// outside the data adds nothing. Safe to call while clients read.
func (s *Server) AppendWorkingHours(day time.Time, n int) []int64 {
	d := s.dayIndex(time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, time.UTC))
	if d < 0 || d >= s.cfg.days || n <= 0 {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.extraRows == nil {
		s.extraRows = map[int]int{}
	}
	var ids []int64
	for k := 0; k < n; k++ {
		ids = append(ids, userID(s.cfg.users+s.extraRows[d]+k))
	}
	s.extraRows[d] += n
	return ids
}
