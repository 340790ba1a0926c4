package sdelements_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/activitysdk/activity-go/sdelements"
	"github.com/activitysdk/activity-go/sdelements/sdelementstest"
)

func ExampleClient_ListActivities() {
	srv := sdelementstest.NewServer(sdelementstest.WithActivities(500))
	defer srv.Close()

	c, err := sdelements.NewClient(
		sdelements.WithBaseURL(srv.URL), // your instance, e.g. https://sde.example.com
		sdelements.WithToken(sdelementstest.Token),
	)
	if err != nil {
		log.Fatal(err)
	}
	params := &sdelements.ListActivitiesParams{
		Name:     sdelements.ActivityLoggedIn,
		DateFrom: srv.Date(400), // a time.Time; sent in UTC with "Z"
		PageSize: 5,
	}
	n := 0
	for a, err := range c.ListActivities(context.Background(), params).All() {
		if err != nil {
			log.Fatal(err)
		}
		if n < 3 {
			fmt.Println(a.ID, a.Date.Format("2006-01-02 15:04:05"), a.Text)
		}
		n++
	}
	fmt.Println(n, "logins")
	// Output:
	// 496 2016-03-30 23:29:59 Omar Haddad logged in
	// 484 2016-03-30 23:18:20 Priya Natarajan logged in
	// 481 2016-03-30 23:14:56 Priya Natarajan logged in
	// 11 logins
}

func ExampleClient_ListActivities_resume() {
	srv := sdelementstest.NewServer(sdelementstest.WithActivities(12))
	defer srv.Close()
	c, err := sdelements.NewClient(sdelements.WithBaseURL(srv.URL), sdelements.WithToken(sdelementstest.Token))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	// Read one page, keep its token (a database, a file)...
	var saved string
	for page, err := range c.ListActivities(ctx, &sdelements.ListActivitiesParams{PageSize: 5}).Pages() {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("first page:", len(page.Items), "activities")
		saved = page.NextPageToken
		break
	}
	// ...and continue later where the walk stopped.
	for a, err := range c.ListActivities(ctx, &sdelements.ListActivitiesParams{PageToken: saved}).All() {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Print(a.ID, " ")
	}
	fmt.Println()
	// Output:
	// first page: 5 activities
	// 7 6 5 4 3 2 1
}

func ExampleClient_GetActivity() {
	srv := sdelementstest.NewServer()
	defer srv.Close()
	c, err := sdelements.NewClient(sdelements.WithBaseURL(srv.URL), sdelements.WithToken(sdelementstest.Token))
	if err != nil {
		log.Fatal(err)
	}
	a, err := c.GetActivity(context.Background(), 2)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(a.ID, a.Name, a.Date.Format("2006-01-02T15:04:05.000000Z07:00"))
	fmt.Println(a.Text)
	fmt.Println(a.Standard(), "in", a.ProjectDesc())

	_, err = c.GetActivity(context.Background(), 999)
	fmt.Println(errors.Is(err, sdelements.ErrNotFound))
	// Output:
	// 2 TaskStatusChangedActivity 2016-03-30T15:16:04.234018Z
	// Omar Haddad marked T8 complete in Project 15
	// T8 in Project 15
	// true
}

// Continue the feed every night from the last page's checkpoint: only the
// activities recorded since come back, late ones (dated before the newest
// already delivered, within the lookback) included.
func ExampleClient_ListActivities_checkpoint() {
	srv := sdelementstest.NewServer(sdelementstest.WithActivities(300))
	defer srv.Close()
	c, err := sdelements.NewClient(sdelements.WithBaseURL(srv.URL), sdelements.WithToken(sdelementstest.Token))
	if err != nil {
		log.Fatal(err)
	}
	checkpoint := "" // stored between runs
	run := func() {
		var ids []int64
		for page, err := range c.ListActivities(context.Background(), &sdelements.ListActivitiesParams{Checkpoint: checkpoint}).Pages() {
			if err != nil {
				fmt.Println(err)
				return
			}
			for _, a := range page.Items {
				ids = append(ids, a.ID)
			}
			checkpoint = page.Checkpoint // after the page's records are stored
		}
		if len(ids) > 3 {
			fmt.Println(len(ids), "activities, newest first:", ids[:3], "...")
			return
		}
		fmt.Println(len(ids), "activities:", ids)
	}
	run()
	newest := srv.Date(300)
	srv.AppendActivities(newest.Add(time.Minute), newest.Add(-30*time.Minute))
	run()
	run()
	// Output:
	// 300 activities, newest first: [300 299 298] ...
	// 2 activities: [301 302]
	// 0 activities: []
}

// ExampleListActivitiesParams_expand asks for big pages, leaves the data
// object out and expands the actor into the user object.
func ExampleListActivitiesParams_expand() {
	srv := sdelementstest.NewServer(sdelementstest.WithActivities(3))
	defer srv.Close()
	c, err := sdelements.NewClient(sdelements.WithBaseURL(srv.URL), sdelements.WithToken(sdelementstest.Token))
	if err != nil {
		log.Fatal(err)
	}
	params := &sdelements.ListActivitiesParams{
		PageSize: 10000,             // any positive size is sent as given
		Exclude:  []string{"data"},  // exclude=data
		Expand:   []string{"actor"}, // expand=actor
	}
	for a, err := range c.ListActivities(context.Background(), params).All() {
		if err != nil {
			log.Fatal(err)
		}
		if a.Actor == nil {
			fmt.Println(a.ID, "system")
			continue
		}
		var user struct {
			Email string `json:"email"`
		}
		if err := json.Unmarshal(a.Extra["actor"], &user); err != nil {
			log.Fatal(err)
		}
		fmt.Println(a.ID, *a.Actor, user.Email, a.Data == nil)
	}
	r, _ := srv.LastRequest()
	fmt.Println(r.RawQuery)
	// Output:
	// 3 7 lucas.moreau@example.com true
	// 2 3 omar.haddad@example.com true
	// 1 4 priya.natarajan@example.com true
	// exclude=data&expand=actor&page_size=10000
}
