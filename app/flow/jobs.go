package flow

import "context"

// Jobs runs a screen's network work off the UI goroutine and hands each
// result back to it, unless Drop was called in between (a reset, a lock):
// a late result then belongs to nobody. The guest's screens and the staff
// side both use it. Go, Drop and Busy are called on the UI goroutine.
type Jobs struct {
	// Do hands a function to the UI goroutine.
	Do func(func())
	// Changed is called on the UI goroutine when a job starts and when its
	// result is in, to redraw the screen; may be nil.
	Changed func()

	busy int
	gen  int
}

// Go runs work with ctx on a goroutine of its own and hands the function
// it returns (which may be nil) to the UI goroutine, unless Drop was called
// meanwhile.
func (j *Jobs) Go(ctx context.Context, work func(ctx context.Context) func()) {
	gen := j.gen
	j.busy++
	j.changed()
	go func() {
		done := work(ctx)
		j.Do(func() {
			if j.gen != gen {
				return
			}
			j.busy--
			if done != nil {
				done()
			}
			j.changed()
		})
	}()
}

// Busy reports whether a job is under way.
func (j *Jobs) Busy() bool { return j.busy > 0 }

// Drop forgets the jobs under way: their results are dropped, and Busy is
// false.
func (j *Jobs) Drop() {
	j.gen++
	j.busy = 0
}

func (j *Jobs) changed() {
	if j.Changed != nil {
		j.Changed()
	}
}
