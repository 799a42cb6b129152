"""The seed as a contender: Python rtsp-stream's algorithm with Debian's OpenCV.

A reader thread opens the camera with OpenCV's FFmpeg backend over TCP and reads without
pause, keeping the newest frame; when a read fails it releases the capture and reconnects
after a delay that doubles up to 30 s (1 s at first), as rtsp-stream does. It prints the wall
time in milliseconds of every frame it reads, one a line, so that the benchmark sees when
frames come.

    /usr/bin/python3 bench/seed.py rtsp://127.0.0.1:8554/cam
"""
import os
import sys
import threading
import time

os.environ.setdefault("OPENCV_FFMPEG_CAPTURE_OPTIONS", "rtsp_transport;tcp")
import cv2  # noqa: E402  (reads the capture options when it opens)

URL = sys.argv[1]
RECONNECT_DELAY, BACKOFF, MAX_DELAY = 1.0, 2.0, 30.0
latest = None


def reader() -> None:
    global latest
    delay = RECONNECT_DELAY
    while True:
        capture = cv2.VideoCapture(URL, cv2.CAP_FFMPEG)
        while capture.isOpened():
            ok, frame = capture.read()
            if not ok:
                break
            latest = frame
            delay = RECONNECT_DELAY
            print(int(time.time() * 1000), flush=True)
        capture.release()
        time.sleep(delay)
        delay = min(delay * BACKOFF, MAX_DELAY)


threading.Thread(target=reader, daemon=True).start()
threading.Event().wait()
