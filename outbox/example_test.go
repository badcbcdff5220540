package outbox_test

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/signet-kiosk/signet/outbox"
)

func Example() {
	dir, _ := os.MkdirTemp("", "outbox-example")
	defer os.RemoveAll(dir)
	key, _, err := outbox.LoadKey(dir, "") // generated once into dir/outbox.key
	if err != nil {
		fmt.Println(err)
		return
	}
	delivered := make(chan struct{})
	ob, err := outbox.Open(dir+"/outbox", outbox.Options{
		Key:      key,
		MaxItems: 1,
		Deliverer: outbox.DeliverFunc(func(ctx context.Context, it outbox.Item) error {
			fmt.Printf("sending %s (%d bytes)\n", it.Kind, len(it.Payload))
			return nil
		}),
		OnEvent: func(ev outbox.Event) {
			if ev.Type == outbox.Delivered {
				close(delivered)
			}
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer ob.Close()

	ctx := context.Background()
	if _, err := ob.Enqueue(ctx, "example.note", []byte("hello")); err != nil {
		fmt.Println(err)
	}
	if _, err := ob.Enqueue(ctx, "example.note", []byte("one too many")); errors.Is(err, outbox.ErrFull) {
		fmt.Println("full: ask the guest to see staff")
	}
	ob.Start()
	<-delivered
	fmt.Println("waiting:", ob.Stats().Depth)
	// Output:
	// full: ask the guest to see staff
	// sending example.note (5 bytes)
	// waiting: 0
}
