import { type FormEvent, useState } from 'react';
import { useSession } from '../auth/session';
import { texts, useTexts } from '../i18n';
import { Page, ProblemAlert } from '../ui';

const T = texts({
  id: {
    title: 'Masuk',
    intro: 'Konsol staf Bersinar: sidak, tes urine, rehabilitasi sosial dan rapor.',
    username: 'Nama pengguna',
    password: 'Kata sandi',
    submit: 'Masuk',
    busy: 'Sedang masuk…',
  },
  en: {
    title: 'Sign in',
    intro: 'The Bersinar staff console: inspections, urine tests, social rehabilitation and scorecards.',
    username: 'Username',
    password: 'Password',
    submit: 'Sign in',
    busy: 'Signing in…',
  },
});

export function SignIn() {
  const t = useTexts(T);
  const { signIn } = useSession();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      await signIn(String(form.get('username') ?? ''), String(form.get('password') ?? ''));
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }

  return (
    <Page title={t.title}>
      <p>{t.intro}</p>
      <form className="stack narrow" onSubmit={submit}>
        <label>
          {t.username}
          <input name="username" autoComplete="username" autoCapitalize="none" required />
        </label>
        <label>
          {t.password}
          <input name="password" type="password" autoComplete="current-password" required />
        </label>
        <ProblemAlert error={error} />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t.busy : t.submit}
        </button>
      </form>
    </Page>
  );
}
