// The motion coach's eyes: MediaPipe's pose landmarker, run in this page on the CPU.
//
// Everything it loads comes from Supine (/coach/assets/: the runtime, its WebAssembly and
// the model), and only when a page calls createPoseSource — that is, once the patient has
// turned the coach on. Frames never leave the page: the landmarker reads the <video>
// element here and returns 33 points per frame.
//
//   const source = await createPoseSource({ model: "lite", video });
//   for (let frame; (frame = await source.next()); ) { ...frame.landmarks... }
//   source.close();
//
// A Frame: { t: ms, width: px, height: px, landmarks: Array(33) of {x, y, z, visibility}
// or null when no person is seen }. x and y are normalised to the frame (0..1), in
// MediaPipe's BlazePose order (0 nose … 11/12 shoulders, 23/24 hips, 25/26 knees …).

export const ASSETS = "/coach/assets";
export const MODELS = ["lite", "full"];

// What to ask the camera for. The model looks at 256 × 256 pixels whatever the camera
// gives; a bigger frame only costs more to copy and convert (on the bench machine,
// 960 × 540 cost 37 ms of CPU a frame against 30 ms at 640 × 360). The front camera, so
// that the patient can see the screen.
export const CAMERA = {
  video: { width: { ideal: 640 }, height: { ideal: 360 }, facingMode: "user" },
  audio: false,
};

export async function createPoseSource({
  model = "lite",
  video,
  assets = ASSETS,
  now = () => performance.now(),
} = {}) {
  if (!MODELS.includes(model)) throw new Error(`Unknown pose model: ${model}`);
  if (!video) throw new Error("createPoseSource needs a video element");
  const { FilesetResolver, PoseLandmarker } = await import(`${assets}/vision_bundle.mjs`);
  const fileset = await FilesetResolver.forVisionTasks(`${assets}/wasm`);
  const landmarker = await PoseLandmarker.createFromOptions(fileset, {
    baseOptions: { modelAssetPath: `${assets}/pose_landmarker_${model}.task`, delegate: "CPU" },
    runningMode: "VIDEO",
    numPoses: 1,
  });
  let closed = false;
  let lastMediaTime = -1;
  let lastT = -1;

  // A new camera frame: counted by requestVideoFrameCallback where the browser has it
  // (each frame once), else seen as a change of the video's time.
  const perFrame = typeof video.requestVideoFrameCallback === "function";
  let fresh = false;
  let wake = null;
  if (perFrame) {
    const onFrame = () => {
      fresh = true;
      if (wake) wake();
      if (!closed) video.requestVideoFrameCallback(onFrame);
    };
    video.requestVideoFrameCallback(onFrame);
  }

  function newFrame() {
    return new Promise((resolve) => {
      if (perFrame) {
        if (fresh) return resolve();
        wake = () => {
          wake = null;
          resolve();
        };
        return undefined;
      }
      const ready = () =>
        video.readyState >= 2 && video.videoWidth > 0 && video.currentTime !== lastMediaTime;
      const poll = () => (closed || ready() ? resolve() : setTimeout(poll, 10));
      return poll();
    });
  }

  function detect() {
    // The landmarker wants strictly increasing timestamps, in milliseconds.
    let t = now();
    if (t <= lastT) t = lastT + 1;
    lastT = t;
    fresh = false;
    lastMediaTime = video.currentTime;
    const result = landmarker.detectForVideo(video, t);
    const pose = result.landmarks && result.landmarks[0];
    return {
      t,
      width: video.videoWidth,
      height: video.videoHeight,
      landmarks: pose
        ? pose.map((p) => ({ x: p.x, y: p.y, z: p.z, visibility: p.visibility ?? 0 }))
        : null,
    };
  }

  return {
    model,
    // The next frame's landmarks, or null once closed or when the video has ended.
    async next() {
      if (closed || video.ended) return null;
      await newFrame();
      if (closed || video.ended) return null;
      return detect();
    },
    close() {
      if (closed) return;
      closed = true;
      if (wake) wake(); // a next() still waiting answers null
      landmarker.close();
    },
  };
}

// Asks the session's service worker to keep the coach's files for offline use. Called
// when the patient turns the coach on; without a worker (or offline) it does nothing.
export async function keepForOffline({ model = "lite", assets = ASSETS } = {}) {
  const worker = navigator.serviceWorker && (await navigator.serviceWorker.ready);
  if (!worker || !worker.active) return false;
  const done = new MessageChannel();
  const answered = new Promise((resolve) => {
    done.port1.onmessage = (event) => resolve(Boolean(event.data && event.data.cached));
  });
  worker.active.postMessage({ type: "cache-coach", files: coachFiles(model, assets) }, [
    done.port2,
  ]);
  return answered;
}

export function coachFiles(model = "lite", assets = ASSETS) {
  return [
    `${assets}/vision_bundle.mjs`,
    `${assets}/wasm/vision_wasm_internal.js`,
    `${assets}/wasm/vision_wasm_internal.wasm`,
    `${assets}/pose_landmarker_${model}.task`,
    `${assets}/NOTICE.txt`,
  ];
}
