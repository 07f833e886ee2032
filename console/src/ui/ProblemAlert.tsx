import { ApiError } from '../api/problem';
import { texts, useTexts } from '../i18n';

const T = texts({
  id: { offline: 'Tidak ada sambungan ke server.', failed: 'Permintaan gagal.' },
  en: { offline: 'No connection to the server.', failed: 'The request failed.' },
});

/** An API refusal as its problem+json says it (title, detail, each field's error), in a live region. */
export function ProblemAlert({ error }: { error: unknown }) {
  const t = useTexts(T);
  if (!error) return null;
  if (!(error instanceof ApiError)) {
    return (
      <div role="alert" className="alert">
        {t.failed}
      </div>
    );
  }
  if (error.offline) {
    return (
      <div role="alert" className="alert">
        {t.offline}
      </div>
    );
  }
  const { title, detail, errors } = error.problem;
  return (
    <div role="alert" className="alert">
      <strong>{title ?? `HTTP ${error.status}`}</strong>
      {detail ? <p>{detail}</p> : null}
      {errors?.length ? (
        <ul>
          {errors.map((e, i) => (
            // The API's errors have no id; their order is stable.
            // biome-ignore lint/suspicious/noArrayIndexKey: see above
            <li key={i}>{e.detail ?? e.pointer}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
