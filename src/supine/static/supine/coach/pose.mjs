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

  // Resolves when the video shows a frame not seen yet (or at once if it has one).
  function newFrame() {
    return new Promise((resolve) => {
      const ready = () =>
        video.readyState >= 2 && video.videoWidth > 0 && video.currentTime !== lastMediaTime;
      if (ready()) return resolve();
      if (typeof video.requestVideoFrameCallback === "function" && video.readyState >= 2) {
        video.requestVideoFrameCallback(() => resolve());
      } else {
        const poll = () => (closed || ready() ? resolve() : setTimeout(poll, 10));
        setTimeout(poll, 10);
      }
    });
  }

  function detect() {
    // The landmarker wants strictly increasing timestamps, in milliseconds.
    let t = now();
    if (t <= lastT) t = lastT + 1;
    lastT = t;
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
